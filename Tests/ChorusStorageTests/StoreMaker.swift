import ChorusHistory
import ChorusStorage
import Foundation
import Logging
import Testing

/// A history backend under test: where a fresh one lives and how to open it there.
///
/// The contract suite runs every test against each of ``all``; adding a backend is one line there.
struct StoreMaker: Sendable, CustomTestStringConvertible {
    var name: String
    /// Whether closing and reopening the same location keeps the data.
    var persistent: Bool
    /// A location for one test: a new SQLite file, or the shared test database.
    var location: @Sendable () -> String
    var open: @Sendable (String) async throws -> any HistoryStore

    var testDescription: String { name }

    /// The PostgreSQL test database (`scripts/lib/start-postgres.sh` prints one); its tests are
    /// skipped without it.
    static let postgresURL = ProcessInfo.processInfo.environment["CHORUS_TEST_POSTGRES_URL"]

    static let sqlite = StoreMaker(
        name: "sqlite",
        persistent: true,
        location: {
            FileManager.default.temporaryDirectory
                .appendingPathComponent("chorus-storage-tests-\(UUID().uuidString)")
                .appendingPathComponent("chorus.sqlite").path
        },
        open: { path in try SQLiteHistoryStore(path: path) }
    )

    static let postgres = StoreMaker(
        name: "postgres",
        persistent: true,
        location: { postgresURL ?? "" },
        open: { url in try await PostgresHistoryStore(url: url, logger: Logger(label: "chorus.storage.tests")) }
    )

    static let memory = StoreMaker(
        name: "memory",
        persistent: false,
        location: { "" },
        open: { _ in MemoryHistoryStore() }
    )

    /// Every backend available in this run.
    static let all: [StoreMaker] = [memory, sqlite] + (postgresURL == nil ? [] : [postgres])
    static let persistentOnes = all.filter(\.persistent)
}

/// One test's store with an app id of its own, so tests sharing the PostgreSQL database never see
/// each other's channels.
struct StoreFixture: Sendable {
    let maker: StoreMaker
    let location: String
    let store: any HistoryStore
    let app = "app-\(UUID().uuidString)"

    init(_ maker: StoreMaker) async throws {
        self.maker = maker
        location = maker.location()
        store = try await maker.open(location)
    }

    func channel(_ name: String = "hist-chat") -> ChannelRef {
        ChannelRef(appID: app, channel: name)
    }

    /// Opens the same location again (the caller closed ``store``).
    func reopen() async throws -> any HistoryStore {
        try await maker.open(location)
    }
}

/// Runs `body` with a fresh fixture and closes its store afterwards.
func withStore(_ maker: StoreMaker, _ body: (StoreFixture) async throws -> Void) async throws {
    let fixture = try await StoreFixture(maker)
    do {
        try await body(fixture)
    } catch {
        await fixture.store.close()
        throw error
    }
    await fixture.store.close()
}
