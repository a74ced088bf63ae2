package import ChorusProtocol
import Synchronization

/// Which users of each app are online (signed in on at least one connection) and whose
/// watchlists follow them. A user goes online with its first signed-in connection and offline
/// with its last; a watchlist lasts while its owner is online, the latest sign-in's list winning.
///
/// In a cluster a user is online when it is signed in on any node: the other nodes' signed-in
/// users are kept per node, and only this node's own watchers are told.
package final class WatchlistRegistry: Sendable {
    /// A watcher to tell that a user came online or went offline.
    package struct Notice: Sendable, Hashable {
        package var watcher: String
        package var userID: String
        package var online: Bool

        package init(watcher: String, userID: String, online: Bool) {
            self.watcher = watcher
            self.userID = userID
            self.online = online
        }
    }

    /// What one sign-in changed.
    package struct SignIn: Sendable, Hashable {
        /// The users of the new watchlist who are online now.
        package var onlineWatched: [String]
        package var notices: [Notice]
        /// The user's first signed-in connection on this node (the other nodes hear of it).
        package var firstHere: Bool

        package init(onlineWatched: [String], notices: [Notice], firstHere: Bool = false) {
            self.onlineWatched = onlineWatched
            self.notices = notices
            self.firstHere = firstHere
        }
    }

    /// What one sign-out changed.
    package struct SignOut: Sendable, Hashable {
        package var notices: [Notice]
        /// The user's last signed-in connection on this node closed.
        package var lastHere: Bool

        package init(notices: [Notice], lastHere: Bool) {
            self.notices = notices
            self.lastHere = lastHere
        }
    }

    private struct AppState {
        /// Signed-in connections per user.
        var sessions: [String: Int] = [:]
        var watchlists: [String: [String]] = [:]
        /// Watched user → the users watching it.
        var watchers: [String: Set<String>] = [:]
        /// Signed-in users of the other nodes, per node.
        var remote: [String: Set<String>] = [:]

        func isOnline(_ userID: String) -> Bool {
            sessions[userID] != nil || remote.values.contains { $0.contains(userID) }
        }

        var isEmpty: Bool { sessions.isEmpty && remote.isEmpty }

        mutating func setWatchlist(_ list: [String]?, of owner: String) {
            for watched in watchlists.removeValue(forKey: owner) ?? [] {
                watchers[watched]?.remove(owner)
                if watchers[watched]?.isEmpty == true { watchers[watched] = nil }
            }
            guard let list else { return }
            watchlists[owner] = list
            for watched in list { watchers[watched, default: []].insert(owner) }
        }

        func notices(for userID: String, online: Bool) -> [Notice] {
            (watchers[userID] ?? []).sorted().map { Notice(watcher: $0, userID: userID, online: online) }
        }

        mutating func signOut(_ userID: String) -> SignOut {
            let remaining = (sessions[userID] ?? 1) - 1
            guard remaining <= 0 else {
                sessions[userID] = remaining
                return SignOut(notices: [], lastHere: false)
            }
            sessions[userID] = nil
            setWatchlist(nil, of: userID)
            return SignOut(notices: isOnline(userID) ? [] : notices(for: userID, online: false), lastHere: true)
        }

        /// Sets what `node` has signed in; notices for the users whose online state changed.
        mutating func setRemote(_ users: Set<String>, node: String) -> [Notice] {
            let before = remote[node] ?? []
            let changed = before.symmetricDifference(users)
            let wasOnline = Dictionary(uniqueKeysWithValues: changed.map { ($0, isOnline($0)) })
            remote[node] = users.isEmpty ? nil : users
            return changed.sorted().flatMap { userID in
                isOnline(userID) == wasOnline[userID] ? [] : notices(for: userID, online: isOnline(userID))
            }
        }
    }

    /// The most users one watchlist may name (more: `pusher:error` 4302, and no watchlist).
    package static let maximumEntries = 100

    private let apps = Mutex<[String: AppState]>([:])

    package init() {}

    /// A connection signed in as `userID` (after `previous`, if it had signed in before), with the
    /// watchlist of its user data (`nil`: none given, or refused).
    package func signIn(_ userID: String, previous: String?, watchlist: [String]?, appID: String) -> SignIn {
        apps.withLock { apps in
            var state = apps[appID] ?? AppState()
            defer { apps[appID] = state }
            var notices: [Notice] = []
            var firstHere = false
            if previous != userID {
                if let previous { notices += state.signOut(previous).notices }
                let wasOnline = state.isOnline(userID)
                state.sessions[userID, default: 0] += 1
                firstHere = state.sessions[userID] == 1
                if !wasOnline { notices += state.notices(for: userID, online: true) }
            }
            if let watchlist { state.setWatchlist(watchlist, of: userID) }
            let online = (watchlist ?? []).filter { state.isOnline($0) }
            return SignIn(onlineWatched: online, notices: notices, firstHere: firstHere)
        }
    }

    /// A connection signed in as `userID` closed.
    package func signOut(_ userID: String, appID: String) -> SignOut {
        apps.withLock { apps in
            guard var state = apps[appID] else { return SignOut(notices: [], lastHere: false) }
            let outcome = state.signOut(userID)
            apps[appID] = state.isEmpty ? nil : state
            return outcome
        }
    }

    /// Another node signed `userID` in (its first connection there) or out (its last).
    package func remoteUser(_ userID: String, online: Bool, node: String, appID: String) -> [Notice] {
        apps.withLock { apps in
            var state = apps[appID] ?? AppState()
            var users = state.remote[node] ?? []
            if online { users.insert(userID) } else { users.remove(userID) }
            let notices = state.setRemote(users, node: node)
            apps[appID] = state.isEmpty ? nil : state
            return notices
        }
    }

    /// Replaces everything `node` signed in with `users` (app id → user ids); an empty
    /// dictionary forgets the node. Returns the notices per app.
    package func replaceRemote(node: String, with users: [String: [String]]) -> [String: [Notice]] {
        apps.withLock { apps in
            var notices: [String: [Notice]] = [:]
            for appID in Set(apps.keys).union(users.keys) {
                var state = apps[appID] ?? AppState()
                let changed = state.setRemote(Set(users[appID] ?? []), node: node)
                if !changed.isEmpty { notices[appID] = changed }
                apps[appID] = state.isEmpty ? nil : state
            }
            return notices
        }
    }

    /// This node's signed-in users, app id → user ids.
    package func localUsers() -> [String: [String]] {
        apps.withLock { apps in
            apps.compactMapValues { $0.sessions.isEmpty ? nil : $0.sessions.keys.sorted() }
        }
    }
}

extension PusherMessage {
    /// `pusher_internal:watchlist_events` in the pusher-js shape:
    /// `{"events":[{"name":"online","user_ids":[…]}]}` (double encoded).
    package static func watchlistEvents(online: [String], offline: [String]) -> PusherMessage {
        var events: [JSONValue] = []
        if !online.isEmpty { events.append(["name": "online", "user_ids": .array(online.map { .string($0) })]) }
        if !offline.isEmpty { events.append(["name": "offline", "user_ids": .array(offline.map { .string($0) })]) }
        let data: JSONValue = ["events": .array(events)]
        return PusherMessage(event: PusherEventName.watchlistEvents, data: .string(data.jsonText))
    }
}
