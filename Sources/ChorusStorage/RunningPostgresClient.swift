import Logging
import PostgresNIO

/// A store's `PostgresClient`: running in its own task from the moment it opens, its schema
/// migrated before anything else uses it, stopped by ``stop()``. Every PostgreSQL store opens its
/// connection pool through this one place.
struct RunningPostgresClient: Sendable {
    /// Why opening failed.
    enum OpenFailure: Error {
        /// The URL is not `postgres://user[:password]@host[:port]/database`.
        case invalidURL
        /// The migrations failed (the client is stopped again).
        case migration(any Error)
    }

    let client: PostgresClient
    private let runner: Task<Void, Never>

    /// Starts a client for `url` and runs `migrate` on it.
    static func open(
        url: String,
        logger: Logger,
        migrate: (PostgresClient) async throws -> Void
    ) async throws(OpenFailure) -> RunningPostgresClient {
        guard let configuration = PostgresClient.Configuration(storageURL: url) else { throw .invalidURL }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let running = RunningPostgresClient(client: client, runner: Task { await client.run() })
        do {
            try await migrate(client)
        } catch {
            await running.stop()
            throw .migration(error)
        }
        return running
    }

    /// Stops the client and waits until its connections are closed.
    func stop() async {
        runner.cancel()
        await runner.value
    }
}
