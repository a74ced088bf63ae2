import Synchronization

/// The apps a server serves, found by key (WebSocket connections) or by id (HTTP API paths): the
/// configuration file's, fixed, and the app store's, replaced as a whole at each refresh.
///
/// A lookup is one dictionary read under a lock, so that a refresh swaps every app at once: no
/// request sees half of a change.
public final class AppRegistry: Sendable {
    private struct Snapshot {
        var byKey: [String: ServedApp] = [:]
        var byID: [String: AppConfiguration] = [:]
        /// The store's apps in use (those the file does not shadow), by id.
        var storeApps: [String: AppConfiguration] = [:]
        /// The store's apps left out because the file defines their id or key, by id.
        var shadowed: Set<String> = []
    }

    private let fileApps: [AppConfiguration]
    private let snapshot: Mutex<Snapshot>

    /// The configuration file's apps; none from a store yet.
    public init(_ apps: [AppConfiguration]) {
        self.fileApps = apps
        self.snapshot = Mutex(Self.snapshot(fileApps: apps, storeApps: []))
    }

    public func app(key: String) -> AppConfiguration? { served(key: key)?.configuration }
    /// The app of `key` as one shared reference, for a connection to hold for its whole life.
    package func served(key: String) -> ServedApp? { snapshot.withLock { $0.byKey[key] } }
    public func app(id: String) -> AppConfiguration? { snapshot.withLock { $0.byID[id] } }
    /// Every app served now, the file's and the store's.
    package var all: [AppConfiguration] { snapshot.withLock { Array($0.byID.values) } }

    /// Those of `storeApps` that ``replaceStoreApps(_:)`` would serve: the ones whose id and key
    /// the configuration file leaves free.
    func served(_ storeApps: [AppConfiguration]) -> [AppConfiguration] {
        Self.snapshot(fileApps: fileApps, storeApps: storeApps).storeApps.values.sorted { $0.id < $1.id }
    }

    /// Serves `apps` as the store's from now on, in place of the previous ones. An app whose id or
    /// key the configuration file defines too is left out: the file wins.
    package func replaceStoreApps(_ apps: [AppConfiguration]) -> AppChanges {
        let new = Self.snapshot(fileApps: fileApps, storeApps: apps)
        let old = snapshot.withLock { snapshot in
            defer { snapshot = new }
            return snapshot
        }
        return AppChanges(
            from: old.storeApps,
            to: new.storeApps,
            shadowed: new.shadowed == old.shadowed ? nil : new.shadowed.sorted()
        )
    }

    private static func snapshot(fileApps: [AppConfiguration], storeApps: [AppConfiguration]) -> Snapshot {
        var snapshot = Snapshot()
        for app in fileApps {
            snapshot.byKey[app.key] = snapshot.byKey[app.key] ?? ServedApp(app)
            snapshot.byID[app.id] = snapshot.byID[app.id] ?? app
        }
        for app in storeApps {
            guard snapshot.byKey[app.key] == nil, snapshot.byID[app.id] == nil else {
                snapshot.shadowed.insert(app.id)
                continue
            }
            snapshot.byKey[app.key] = ServedApp(app)
            snapshot.byID[app.id] = app
            snapshot.storeApps[app.id] = app
        }
        return snapshot
    }
}

/// One app's configuration behind a shared reference: every connection of the app points at it
/// instead of holding its own copy of the whole configuration (about 300 bytes inline).
package final class ServedApp: Sendable {
    package let configuration: AppConfiguration

    package init(_ configuration: AppConfiguration) {
        self.configuration = configuration
    }
}
