package import ChorusProtocol
import Synchronization

/// Which users of each app are online (signed in on at least one connection) and whose
/// watchlists follow them. A user goes online with its first signed-in connection and offline
/// with its last; a watchlist lasts while its owner is online, the latest sign-in's list winning.
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

        package init(onlineWatched: [String], notices: [Notice]) {
            self.onlineWatched = onlineWatched
            self.notices = notices
        }
    }

    private struct AppState {
        /// Signed-in connections per user.
        var sessions: [String: Int] = [:]
        var watchlists: [String: [String]] = [:]
        /// Watched user → the users watching it.
        var watchers: [String: Set<String>] = [:]

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

        mutating func signOut(_ userID: String) -> [Notice] {
            let remaining = (sessions[userID] ?? 1) - 1
            guard remaining <= 0 else {
                sessions[userID] = remaining
                return []
            }
            sessions[userID] = nil
            setWatchlist(nil, of: userID)
            return notices(for: userID, online: false)
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
            if previous != userID {
                if let previous { notices += state.signOut(previous) }
                state.sessions[userID, default: 0] += 1
                if state.sessions[userID] == 1 { notices += state.notices(for: userID, online: true) }
            }
            if let watchlist { state.setWatchlist(watchlist, of: userID) }
            let online = (watchlist ?? []).filter { state.sessions[$0] != nil }
            return SignIn(onlineWatched: online, notices: notices)
        }
    }

    /// A connection signed in as `userID` closed.
    package func signOut(_ userID: String, appID: String) -> [Notice] {
        apps.withLock { apps in
            guard var state = apps[appID] else { return [] }
            let notices = state.signOut(userID)
            apps[appID] = state.sessions.isEmpty ? nil : state
            return notices
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
