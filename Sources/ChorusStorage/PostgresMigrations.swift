import Logging
import PostgresNIO

/// One store's numbered schema migrations on PostgreSQL, applied in order at start-up and recorded
/// in a table of the store's own, so the history and push schemas evolve independently.
struct PostgresMigrations: Sendable {
    /// The statements that take the schema to `version`.
    struct Migration: Sendable {
        var version: Int
        var name: String
        var statements: [String]
    }

    /// Which store, for the log.
    var store: String
    /// Where the applied versions are recorded.
    var table: String
    /// The advisory lock migrations hold, so nodes starting together migrate one after the other
    /// (the second finds the versions recorded and does nothing).
    var lock: Int64
    var migrations: [Migration]

    /// Applies the migrations not yet recorded, in one transaction under the advisory lock.
    func apply(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lock))", logger: logger)
            try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        CREATE TABLE IF NOT EXISTS \(table) (
                            version integer PRIMARY KEY,
                            name text NOT NULL,
                            applied_at timestamptz NOT NULL DEFAULT now()
                        )
                        """
                ),
                logger: logger
            )
            var applied: Set<Int> = []
            for try await version in try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT version FROM \(table)"),
                logger: logger
            ).decode(Int.self) {
                applied.insert(version)
            }
            for migration in migrations where !applied.contains(migration.version) {
                logger.info("\(store) store: applying schema migration \(migration.version) (\(migration.name))")
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO \(unescaped: table) (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger
                )
            }
        }
    }
}
