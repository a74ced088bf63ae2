public import ChorusPush
public import Logging

/// Opens the push store a ``StorageConfiguration`` names, schema migrations included: the same
/// driver as the history.
///
/// With SQLite the push store has a file of its own beside the history's (`chorus.sqlite` →
/// `chorus-push.sqlite`, see ``sqlitePath(historyPath:)``): SQLite has one writer per file, and
/// sharing it would make push admissions and outcomes wait for history appends and the reverse.
/// With PostgreSQL both live in the configured database, in tables of their own.
public enum PushStoreFactory {
    public static func open(
        _ configuration: StorageConfiguration,
        logger: Logger
    ) async throws(PushStoreError) -> any PushStore {
        switch configuration.driver {
        case .sqlite:
            let path = sqlitePath(historyPath: configuration.path ?? StorageConfiguration.defaultSQLitePath)
            logger.info("push store: SQLite at \(path), synchronous \(configuration.sqliteDurability.rawValue)")
            return try SQLitePushStore(path: path, durability: configuration.sqliteDurability)
        case .postgres:
            guard let url = configuration.url else {
                throw PushStoreError("storage.url is required by the postgres driver")
            }
            logger.info("push store: PostgreSQL")
            return try await PostgresPushStore(url: url, logger: logger)
        case .memory:
            logger.info("push store: memory (nothing survives the process)")
            return MemoryPushStore()
        }
    }

    /// The push store's SQLite file beside the history's: `-push` before the extension.
    public static func sqlitePath(historyPath: String) -> String {
        StorageConfiguration.sqlitePath(besideHistory: historyPath, suffix: "push")
    }
}
