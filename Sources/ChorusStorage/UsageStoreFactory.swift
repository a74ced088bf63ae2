public import Logging

/// Opens the usage store a ``StorageConfiguration`` names: the same driver as the history.
///
/// With SQLite the counts have a file of their own beside the history's (`chorus.sqlite` →
/// `chorus-usage.sqlite`), so their writes never wait for the history's group commit. With
/// PostgreSQL they live in the configured database, in a table of their own.
public enum UsageStoreFactory {
    public static func open(
        _ configuration: StorageConfiguration,
        logger: Logger
    ) async throws(UsageStoreError) -> any UsageStore {
        switch configuration.driver {
        case .sqlite:
            let path = StorageConfiguration.sqlitePath(
                besideHistory: configuration.path ?? StorageConfiguration.defaultSQLitePath,
                suffix: "usage"
            )
            logger.info("usage store: SQLite at \(path)")
            return try SQLiteUsageStore(path: path, durability: configuration.sqliteDurability)
        case .postgres:
            guard let url = configuration.url else {
                throw UsageStoreError("storage.url is required by the postgres driver")
            }
            logger.info("usage store: PostgreSQL")
            return try await PostgresUsageStore(url: url, logger: logger)
        case .memory:
            logger.info("usage store: memory (daily message counts do not survive the process)")
            return MemoryUsageStore()
        }
    }
}
