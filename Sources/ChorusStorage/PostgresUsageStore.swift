public import Logging
import PostgresNIO

/// The usage store on PostgreSQL: the nodes of a cluster add to the same rows, so an app's daily
/// count is the cluster's. Table `chorus_usage`, as in ``SQLiteUsageStore``.
public final class PostgresUsageStore: UsageStore {
    let client: PostgresClient
    let logger: Logger
    private let running: RunningPostgresClient

    /// Connects to `url` (`postgres://user[:password]@host[:port]/database`) and applies the
    /// pending usage schema migrations.
    public init(url: String, logger: Logger) async throws(UsageStoreError) {
        let running: RunningPostgresClient
        do {
            running = try await RunningPostgresClient.open(url: url, logger: logger) {
                try await Self.schema.apply($0, logger: logger)
            }
        } catch {
            switch error {
            case .invalidURL: throw UsageStoreError(PostgresClient.Configuration.storageURLShape)
            case .migration(let error):
                throw UsageStoreError("migrating the PostgreSQL usage store: \(String(reflecting: error))")
            }
        }
        self.client = running.client
        self.logger = logger
        self.running = running
    }

    /// The schema's versions, recorded in `chorus_usage_schema_migrations` (apart from the other
    /// stores'). The lock is "chorus" in ASCII, then 4.
    static let schema = PostgresMigrations(
        store: "usage",
        table: "chorus_usage_schema_migrations",
        lock: 0x6368_6f72_7573_0004,
        migrations: [
            PostgresMigrations.Migration(
                version: 1,
                name: "usage",
                statements: [
                    """
                    CREATE TABLE chorus_usage (
                        app text COLLATE "C" NOT NULL,
                        day text COLLATE "C" NOT NULL,
                        messages bigint NOT NULL,
                        PRIMARY KEY (app, day)
                    )
                    """
                ]
            )
        ]
    )

    /// One transaction of upserts (`messages = messages + delta`), in key order so that nodes
    /// flushing the same apps together lock the rows in the same order and never deadlock. A delta
    /// of 0 only reads the row (an idle flush writes nothing).
    public func add(_ deltas: [UsageKey: Int]) async throws(UsageStoreError) -> [UsageKey: Int] {
        try await UsageStoreError.wrapping("adding usage") {
            try await client.withTransaction(logger: logger) { connection in
                var totals: [UsageKey: Int] = [:]
                for (key, delta) in deltas.sorted(by: { ($0.key.appID, $0.key.day) < ($1.key.appID, $1.key.day) }) {
                    let query: PostgresQuery =
                        delta == 0
                        ? "SELECT messages FROM chorus_usage WHERE app = \(key.appID) AND day = \(key.day)"
                        : """
                        INSERT INTO chorus_usage (app, day, messages) VALUES (\(key.appID), \(key.day), \(Int64(delta)))
                        ON CONFLICT (app, day) DO UPDATE SET messages = chorus_usage.messages + excluded.messages
                        RETURNING messages
                        """
                    let rows = try await connection.query(query, logger: logger).collect()
                    totals[key] = try rows.first.map { Int(try $0.decode(Int64.self)) } ?? 0
                }
                return totals
            }
        }
    }

    public func close() async {
        await running.stop()
    }
}
