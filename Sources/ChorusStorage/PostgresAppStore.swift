public import Logging
import PostgresNIO

/// The app store of a cluster: a table in the PostgreSQL database every node reads
/// (`app_store.url`), through postgres-nio's `PostgresClient`, with the columns of
/// ``SQLiteAppStore``.
public final class PostgresAppStore: AppStore {
    let client: PostgresClient
    let logger: Logger
    private let running: RunningPostgresClient

    /// Connects to `url` (`postgres://user[:password]@host[:port]/database`) and applies the
    /// pending app schema migrations.
    public init(url: String, logger: Logger) async throws(AppStoreError) {
        let running: RunningPostgresClient
        do {
            running = try await RunningPostgresClient.open(url: url, logger: logger) {
                try await Self.schema.apply($0, logger: logger)
            }
        } catch {
            switch error {
            case .invalidURL: throw AppStoreError(PostgresClient.Configuration.storageURLShape)
            case .migration(let error):
                throw AppStoreError("migrating the PostgreSQL app store: \(String(reflecting: error))")
            }
        }
        self.client = running.client
        self.logger = logger
        self.running = running
    }

    /// The schema's versions, recorded in `chorus_app_schema_migrations` (apart from the history's
    /// and the push store's). The lock is "chorus" in ASCII, then 3.
    static let schema = PostgresMigrations(
        store: "app",
        table: "chorus_app_schema_migrations",
        lock: 0x6368_6f72_7573_0003,
        migrations: [
            PostgresMigrations.Migration(
                version: 1,
                name: "apps",
                statements: [
                    """
                    CREATE TABLE chorus_apps (
                        id text COLLATE "C" PRIMARY KEY,
                        key text NOT NULL UNIQUE,
                        enabled boolean NOT NULL,
                        document text NOT NULL,
                        updated_at_ms bigint NOT NULL
                    )
                    """
                ]
            )
        ]
    )

    public func all() async throws(AppStoreError) -> [StoredApp] {
        try await AppStoreError.wrapping("listing apps") {
            let rows = try await client.query(
                "SELECT id, key, enabled, document, updated_at_ms FROM chorus_apps ORDER BY id",
                logger: logger
            ).collect()
            return try rows.map(Self.app)
        }
    }

    public func app(id: String) async throws(AppStoreError) -> StoredApp? {
        try await AppStoreError.wrapping("reading app \(id)") {
            let rows = try await client.query(
                "SELECT id, key, enabled, document, updated_at_ms FROM chorus_apps WHERE id = \(id)",
                logger: logger
            ).collect()
            return try rows.first.map(Self.app)
        }
    }

    /// One statement: a key held by another app breaks the unique index, and the holder is then
    /// looked up for the error.
    public func upsert(_ app: StoredApp) async throws(AppStoreError) {
        try await AppStoreError.wrapping("writing app \(app.id)") {
            do {
                try await client.query(
                    """
                    INSERT INTO chorus_apps (id, key, enabled, document, updated_at_ms)
                    VALUES (\(app.id), \(app.key), \(app.enabled), \(app.document), \(SQLiteAppStore.nowMs()))
                    ON CONFLICT (id) DO UPDATE SET key = excluded.key, enabled = excluded.enabled,
                        document = excluded.document, updated_at_ms = excluded.updated_at_ms
                    """,
                    logger: logger
                )
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
                let holder = try await client.query(
                    "SELECT id FROM chorus_apps WHERE key = \(app.key)",
                    logger: logger
                ).collect().first?.decode(String.self)
                throw AppStoreError.duplicateKey(app.key, holder: holder ?? "another app")
            }
        }
    }

    public func remove(id: String) async throws(AppStoreError) -> Bool {
        try await AppStoreError.wrapping("removing app \(id)") {
            let rows = try await client.query(
                "DELETE FROM chorus_apps WHERE id = \(id) RETURNING id",
                logger: logger
            ).collect()
            return !rows.isEmpty
        }
    }

    public func close() async {
        await running.stop()
    }

    private static func app(_ row: PostgresRow) throws -> StoredApp {
        let (id, key, enabled, document, updatedAtMs) = try row.decode((String, String, Bool, String, Int64).self)
        return StoredApp(id: id, key: key, enabled: enabled, document: document, updatedAtMs: updatedAtMs)
    }
}
