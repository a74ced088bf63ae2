import Foundation
import Logging
import PostgresNIO
import Testing

/// A database of its own on the test PostgreSQL server, for tests that need an empty one.
struct TestDatabase: Sendable {
    let name: String
    let url: String
    private let serverURL: String
    private let logger: Logger

    init(serverURL: String, logger: Logger) async throws {
        name = "chorus_test_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        self.serverURL = serverURL
        self.logger = logger
        var components = try #require(URLComponents(string: serverURL))
        components.path = "/\(name)"
        url = try #require(components.string)
        try await Self.run("CREATE DATABASE \(name)", on: serverURL, logger: logger)
    }

    /// The versions a store's migration table records (the history's by default).
    func migrationVersions(table: String = "chorus_schema_migrations") async throws -> [Int] {
        try await Self.withClient(url, logger: logger) { client in
            var versions: [Int] = []
            let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT version FROM \(table) ORDER BY version"))
            for try await version in rows.decode(Int.self) {
                versions.append(version)
            }
            return versions
        }
    }

    func drop() async throws {
        try await Self.run("DROP DATABASE \(name)", on: serverURL, logger: logger)
    }

    private static func run(_ sql: String, on url: String, logger: Logger) async throws {
        try await withClient(url, logger: logger) { client in
            try await client.query(PostgresQuery(unsafeSQL: sql))
        }
    }

    private static func withClient<T: Sendable>(
        _ url: String,
        logger: Logger,
        _ body: @Sendable (PostgresClient) async throws -> T
    ) async throws -> T {
        let components = try #require(URLComponents(string: url))
        let client = PostgresClient(
            configuration: .init(
                host: try #require(components.host),
                port: components.port ?? 5432,
                username: components.user ?? "postgres",
                password: components.password,
                database: String(components.path.dropFirst()),
                tls: .disable
            ),
            backgroundLogger: logger
        )
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
