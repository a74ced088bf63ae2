package import ChorusCore
import Synchronization

/// Every open connection by socket id: where it lives in the broadcast engine, which user it
/// signed in as, and how to terminate it. Used by the HTTP API (`socket_id` exclusion,
/// `terminate_connections`) and for per-app connection quotas.
package final class ConnectionRegistry: Sendable {
    /// One open connection.
    package struct Entry: Sendable {
        package var appID: String
        package var address: SubscriberAddress
        package var userID: String?
        /// Closes the connection for `reason`, on its own event loop.
        var close: @Sendable (ServerCloseReason) -> Void

        /// Sends `pusher:error` 4009 and closes the connection (`terminate_connections`).
        package func terminate() { close(.terminatedByApp) }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var countsByApp: [String: Int] = [:]
    }

    private let state = Mutex(State())

    package init() {}

    /// Adds a connection unless its app already has `limit` connections (0: no limit).
    package func add(socketID: String, entry: Entry, limit: Int) -> Bool {
        state.withLock { state in
            let count = state.countsByApp[entry.appID, default: 0]
            guard limit == 0 || count < limit else { return false }
            state.entries[socketID] = entry
            state.countsByApp[entry.appID] = count + 1
            return true
        }
    }

    package func remove(socketID: String) {
        state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: socketID) else { return }
            state.countsByApp[entry.appID, default: 1] -= 1
        }
    }

    /// Records the user a connection signed in as.
    package func setUser(_ userID: String, socketID: String) {
        state.withLock { $0.entries[socketID]?.userID = userID }
    }

    /// The connection with `socketID` of app `appID`.
    package func entry(socketID: String, appID: String) -> Entry? {
        state.withLock { state in
            state.entries[socketID].flatMap { $0.appID == appID ? $0 : nil }
        }
    }

    /// The connections of app `appID` signed in as `userID`.
    package func entries(userID: String, appID: String) -> [Entry] {
        state.withLock { state in
            state.entries.values.filter { $0.appID == appID && $0.userID == userID }
        }
    }

    /// Every open connection.
    package func all() -> [Entry] {
        state.withLock { Array($0.entries.values) }
    }

    /// Open connections of every app.
    package var count: Int {
        state.withLock { $0.entries.count }
    }

    /// Open connections of app `appID`.
    package func count(appID: String) -> Int {
        state.withLock { $0.countsByApp[appID, default: 0] }
    }
}

/// Why the server itself closes a connection.
package enum ServerCloseReason: Sendable {
    /// The app's backend called `terminate_connections` for the user (4009, do not reconnect as is).
    case terminatedByApp
    /// The server is shutting down (4200, reconnect at once — to another instance).
    case serverShutdown
    /// The app was disabled or removed from the app store (4003, as a new connection would get).
    case appDisabled
}
