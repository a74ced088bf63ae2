import ChorusHistory
import ChorusStorage
import Logging

/// Opens the history store that `storage` names: the one place the server picks a backend.
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
}
