import ChorusStorage
import Logging
import Synchronization

/// Keeps a server's apps in step with the app store (`app_store`): reads the store when the
/// server starts, then every `refresh_seconds`; swaps the store's apps into the ``AppRegistry``
/// and into webhook delivery and the retention sweep, and closes the connections of the apps that were disabled or
/// removed (4003).
///
/// A stored app that fails the configuration's checks is logged and left out (its previous
/// version stays in use). A store that cannot be read is logged and the apps stay as they were.
final class AppStoreRefresher: Sendable {
    private struct State {
        var store: (any AppStore)?
        var task: Task<Void, Never>?
        /// The store's apps that passed the checks at the last refresh, by id.
        var accepted: [String: AppConfiguration] = [:]
        /// Why each stored app was left out at the last refresh, by id (logged when it changes).
        var rejected: [String: String] = [:]
        /// The apps whose connections were closed at the last refresh: a connection that looked
        /// its app up just before the swap registers just after it, and is closed at the next one.
        var closed: [String] = []
        var unreachable = false
        /// The history settings of the store's apps the retention sweep enforces, by id.
        var retained: [String: HistorySettings] = [:]
    }

    private let apps: AppRegistry
    private let connections: ConnectionRegistry
    private let webhooks: WebhookDispatcher
    private let history: HistoryService
    private let configuration: ServerConfiguration
    private let logger: Logger
    private let state = Mutex(State())

    init(
        apps: AppRegistry,
        connections: ConnectionRegistry,
        webhooks: WebhookDispatcher,
        history: HistoryService,
        configuration: ServerConfiguration,
        logger: Logger
    ) {
        self.apps = apps
        self.connections = connections
        self.webhooks = webhooks
        self.history = history
        self.configuration = configuration
        self.logger = logger
    }

    /// Opens the store and serves its apps, then refreshes them in the background until
    /// ``stop()``; does nothing without a store. Throws when the store cannot be opened or read.
    func start() async throws(AppStoreError) {
        guard let store = try await configuration.appStore.open(logger: logger) else { return }
        do throws(AppStoreError) {
            try await refresh(from: store)
        } catch {
            await store.close()
            throw error
        }
        logger.info(
            "app store: \(configuration.appStore.summary), re-read every \(configuration.appStore.refreshSeconds) s"
        )
        let interval = Duration.seconds(configuration.appStore.refreshSeconds)
        let task = Task { [self] in
            while (try? await Task.sleep(for: interval)) != nil {
                do {
                    try await refresh(from: store)
                } catch {
                    if !state.withLock({ $0.unreachable }) {
                        logger.warning("app store: cannot read it, the apps stay as they are: \(error)")
                    }
                    state.withLock { $0.unreachable = true }
                }
            }
        }
        state.withLock {
            $0.store = store
            $0.task = task
        }
    }

    /// Stops refreshing and closes the store.
    func stop() async {
        let (store, task) = state.withLock { state in
            defer {
                state.store = nil
                state.task = nil
            }
            return (state.store, state.task)
        }
        task?.cancel()
        await task?.value
        await store?.close()
    }

    /// Reads the store once and serves what it holds.
    private func refresh(from store: any AppStore) async throws(AppStoreError) {
        let rows = try await store.all()
        let previous = state.withLock { $0 }
        if previous.unreachable { logger.info("app store: readable again") }
        var accepted: [String: AppConfiguration] = [:]
        var rejected: [String: String] = [:]
        for row in rows {
            do throws(ConfigurationError) {
                let app = try AppConfiguration(stored: row)
                let problems = app.problems(in: configuration)
                guard problems.isEmpty else { throw ConfigurationError(source: "app store", problems: problems) }
                accepted[row.id] = app
            } catch {
                rejected[row.id] = error.problems.joined(separator: "; ")
                accepted[row.id] = previous.accepted[row.id]
            }
        }
        let storeApps = accepted.values.sorted { $0.id < $1.id }
        // Webhook delivery first, so that an app's first events find their queue.
        await webhooks.replaceStoreApps(apps.served(storeApps))
        let changes = apps.replaceStoreApps(storeApps)
        followRetention(of: apps.served(storeApps), previous: previous.retained)
        let closing = changes.closing + previous.closed.filter { apps.app(id: $0)?.enabled != true }
        state.withLock {
            $0.accepted = accepted
            $0.rejected = rejected
            $0.closed = changes.closing
            $0.unreachable = false
        }
        if rejected != previous.rejected {
            for (id, problems) in rejected.sorted(by: { $0.key < $1.key }) {
                logger.error("app store: app \(id) left out: \(problems)")
            }
        }
        log(changes)
        closeConnections(of: Set(closing))
    }

    /// Restarts the retention sweep when the history settings of the store's apps changed.
    private func followRetention(of storeApps: [AppConfiguration], previous: [String: HistorySettings]) {
        let retained = Dictionary(
            uniqueKeysWithValues: storeApps.filter(\.history.enabled).map { ($0.id, $0.history) }
        )
        guard retained != previous else { return }
        state.withLock { $0.retained = retained }
        history.startRetention(apps: configuration.apps + storeApps, logger: logger)
    }

    private func log(_ changes: AppChanges) {
        for (what, ids) in [
            ("added", changes.added), ("changed", changes.changed), ("disabled", changes.disabled),
            ("enabled", changes.enabled), ("removed", changes.removed),
        ] where !ids.isEmpty {
            logger.info("app store: apps \(what)", metadata: ["ids": .string(ids.joined(separator: ","))])
        }
        if let shadowed = changes.shadowed, !shadowed.isEmpty {
            logger.warning(
                "app store: apps left out, the configuration file defines their id or key (the file wins)",
                metadata: ["ids": .string(shadowed.joined(separator: ","))]
            )
        }
    }

    private func closeConnections(of appIDs: Set<String>) {
        guard !appIDs.isEmpty else { return }
        let open = connections.all().filter { appIDs.contains($0.appID) }
        guard !open.isEmpty else { return }
        logger.info(
            "app store: closing the connections of disabled or removed apps",
            metadata: ["count": "\(open.count)"]
        )
        for connection in open { connection.close(.appDisabled) }
    }
}
