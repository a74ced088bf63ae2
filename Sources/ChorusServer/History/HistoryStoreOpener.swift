import ChorusHistory
import ChorusStorage
import Logging

/// Opens the history store that `storage` names and starts its retention: the one place the
/// server picks a backend.
enum HistoryStoreOpener {
    /// How often the retention sweep trims the apps' channels.
    static let retentionInterval: Duration = .seconds(60)

    static func open(_ storage: StorageSettings, logger: Logger) async throws -> any HistoryStore {
        try await HistoryStoreFactory.makeStore(storage.configuration, logger: logger)
    }

    /// The background task that keeps each history app's channels within `max_messages` and
    /// `max_age_seconds` on `store`, never on the publish path.
    static func retention(of store: any HistoryStore, apps: [AppConfiguration], logger: Logger) -> Task<Void, Never>? {
        guard !apps.isEmpty else { return nil }
        let sweep = RetentionSweep(
            store: store,
            policies: apps.map {
                RetentionPolicy(
                    appID: $0.id,
                    maxMessages: $0.history.maxMessages,
                    maxAgeSeconds: Int64($0.history.maxAgeSeconds)
                )
            },
            interval: retentionInterval,
            clock: ContinuousClock(),
            logger: logger
        )
        return Task { await sweep.run() }
    }
}
