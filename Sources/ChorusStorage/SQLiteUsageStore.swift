import GRDB

/// The embedded usage store: a table `chorus_usage` in a SQLite file of its own (beside the
/// history's, see ``UsageStoreFactory``), through GRDB. One node owns the file, so its counts are
/// that node's.
public final class SQLiteUsageStore: UsageStore {
    let pool: DatabasePool

    /// Opens (creating it and its directory if needed) the database at `path` and brings its usage
    /// table up to date.
    public init(path: String, durability: SQLiteHistoryStore.Durability = .powerLoss) throws(UsageStoreError) {
        do {
            let pool = try DatabasePool.opening(path: path, durability: durability, migrator: Self.migrator)
            self.pool = pool
        } catch {
            throw UsageStoreError("opening the SQLite usage store at \(path): \(error)")
        }
    }

    /// The schema, as numbered migrations recorded in `grdb_migrations`: one row per app and UTC
    /// day.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-usage") { db in
            try db.execute(
                sql: """
                    CREATE TABLE chorus_usage (
                        app TEXT NOT NULL,
                        day TEXT NOT NULL,
                        messages INTEGER NOT NULL,
                        PRIMARY KEY (app, day)
                    ) WITHOUT ROWID
                    """
            )
        }
        return migrator
    }

    /// One transaction: every row is added to, then read back. A delta of 0 only reads, and when
    /// every delta is 0 (an idle flush) nothing is written, so an idle server does not fsync.
    public func add(_ deltas: [UsageKey: Int]) async throws(UsageStoreError) -> [UsageKey: Int] {
        try await UsageStoreError.wrapping("adding usage") {
            guard deltas.values.contains(where: { $0 != 0 }) else {
                return try await pool.read { db in try Self.totals(of: deltas.keys, db) }
            }
            return try await pool.write { db in
                for (key, delta) in deltas where delta != 0 {
                    try db.execute(
                        sql: """
                            INSERT INTO chorus_usage (app, day, messages) VALUES (?, ?, ?)
                            ON CONFLICT (app, day) DO UPDATE SET messages = messages + excluded.messages
                            """,
                        arguments: [key.appID, key.day, delta]
                    )
                }
                return try Self.totals(of: deltas.keys, db)
            }
        }
    }

    /// The rows' totals, 0 for a row not written yet.
    private static func totals(of keys: some Sequence<UsageKey>, _ db: Database) throws -> [UsageKey: Int] {
        var totals: [UsageKey: Int] = [:]
        for key in keys {
            totals[key] =
                try Int.fetchOne(
                    db,
                    sql: "SELECT messages FROM chorus_usage WHERE app = ? AND day = ?",
                    arguments: [key.appID, key.day]
                ) ?? 0
        }
        return totals
    }

    public func close() async {
        try? pool.close()
    }
}
