import ChorusHistory
import ChorusStorage
import Logging

/// Opens the history store that `storage` names and starts its retention: the one place the
/// server picks a backend.
enum HistoryStoreOpener {
    static func open(_ storage: StorageSettings, logger: Logger) async throws -> any HistoryStore {
        switch storage.driver {
        case .memory:
            return MemoryHistoryStore()
        case .sqlite, .postgres:
            logger.warning(
                "this build has no \(storage.driver.rawValue) history store: history is kept in memory",
                metadata: ["storage": .string(storage.summary)]
            )
            return MemoryHistoryStore()
        }
    }

    /// The background task that keeps each history app's channels within `max_messages` and
    /// `max_age_seconds` on `store`, never on the publish path; nil while this build has no
    /// retention sweep (the storage backends bring it).
    static func retention(of store: any HistoryStore, apps: [AppConfiguration], logger: Logger) -> Task<Void, Never>? {
        nil
    }
}
