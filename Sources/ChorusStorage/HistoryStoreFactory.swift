public import ChorusHistory
public import Logging

/// Opens the history store a ``StorageConfiguration`` names, schema migrations included.
public enum HistoryStoreFactory {
    public static func makeStore(
        _ configuration: StorageConfiguration,
        logger: Logger
    ) async throws(HistoryStoreError) -> any HistoryStore {
        switch configuration.driver {
        case .sqlite:
            let path = configuration.path ?? StorageConfiguration.defaultSQLitePath
            logger.info("history store: SQLite at \(path), synchronous \(configuration.sqliteDurability.rawValue)")
            return try SQLiteHistoryStore(path: path, durability: configuration.sqliteDurability)
        case .postgres:
            guard let url = configuration.url else {
                throw HistoryStoreError("storage.url is required by the postgres driver")
            }
            logger.info("history store: PostgreSQL")
            return try await PostgresHistoryStore(url: url, logger: logger)
        case .memory:
            logger.info("history store: memory (nothing survives the process)")
            return MemoryHistoryStore()
        }
    }
}
