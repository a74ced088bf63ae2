import Foundation
import GRDB

/// The app store of one node: a table in a SQLite file of its own (`app_store.path`), through GRDB.
///
/// Writes are transactions on GRDB's serial writer queue; a node re-reads the table through its
/// own WAL connection, so `chorus apps` in another process changes what the server sees.
public final class SQLiteAppStore: AppStore {
    let pool: DatabasePool

    /// Opens (creating it and its directory if needed) the database at `path` and brings its app
    /// table up to date.
    public init(path: String) throws(AppStoreError) {
        do {
            pool = try DatabasePool.opening(path: path, durability: nil, migrator: Self.migrator)
        } catch {
            throw AppStoreError("opening the SQLite app store at \(path): \(error)")
        }
    }

    /// The schema, as numbered migrations recorded in `grdb_migrations`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-apps") { db in
            try db.execute(
                sql: """
                    CREATE TABLE chorus_apps (
                        id TEXT NOT NULL PRIMARY KEY,
                        key TEXT NOT NULL UNIQUE,
                        enabled INTEGER NOT NULL,
                        document TEXT NOT NULL,
                        updated_at_ms INTEGER NOT NULL
                    )
                    """
            )
        }
        return migrator
    }

    static let columns = "id, key, enabled, document, updated_at_ms"

    public func all() async throws(AppStoreError) -> [StoredApp] {
        try await AppStoreError.wrapping("listing apps") {
            try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM chorus_apps ORDER BY id").map(Self.app)
            }
        }
    }

    public func app(id: String) async throws(AppStoreError) -> StoredApp? {
        try await AppStoreError.wrapping("reading app \(id)") {
            try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM chorus_apps WHERE id = ?", arguments: [id])
                    .map(Self.app)
            }
        }
    }

    public func upsert(_ app: StoredApp) async throws(AppStoreError) {
        try await AppStoreError.wrapping("writing app \(app.id)") {
            try await pool.write { db in
                let holder = try String.fetchOne(
                    db,
                    sql: "SELECT id FROM chorus_apps WHERE key = ? AND id <> ?",
                    arguments: [app.key, app.id]
                )
                if let holder { throw AppStoreError.duplicateKey(app.key, holder: holder) }
                try db.execute(
                    sql: """
                        INSERT INTO chorus_apps (\(Self.columns)) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET key = excluded.key, enabled = excluded.enabled,
                            document = excluded.document, updated_at_ms = excluded.updated_at_ms
                        """,
                    arguments: [app.id, app.key, app.enabled, app.document, Self.nowMs()]
                )
            }
        }
    }

    public func remove(id: String) async throws(AppStoreError) -> Bool {
        try await AppStoreError.wrapping("removing app \(id)") {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM chorus_apps WHERE id = ?", arguments: [id])
                return db.changesCount > 0
            }
        }
    }

    public func close() async {
        try? pool.close()
    }

    private static func app(_ row: Row) -> StoredApp {
        StoredApp(id: row[0], key: row[1], enabled: row[2], document: row[3], updatedAtMs: row[4])
    }

    /// The time written into `updated_at_ms`.
    static func nowMs() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
