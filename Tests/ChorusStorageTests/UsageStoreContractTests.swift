import ChorusStorage
import Foundation
import Logging
import Testing

/// The usage store (daily message counts): the same answers from memory, SQLite and PostgreSQL
/// (when `CHORUS_TEST_POSTGRES_URL` is set). Each test counts for an app id of its own, so tests
/// sharing the PostgreSQL database never see each other's rows.
@Suite struct UsageStoreContractTests {
    /// A backend: where a fresh store lives and how to open it there.
    struct Maker: Sendable, CustomTestStringConvertible {
        var name: String
        /// Whether closing and reopening the same location keeps the counts.
        var persistent: Bool
        var location: @Sendable () -> String
        var open: @Sendable (String) async throws -> any UsageStore

        var testDescription: String { name }

        static let memory = Maker(
            name: "memory",
            persistent: false,
            location: { "" },
            open: { _ in MemoryUsageStore() }
        )

        static let sqlite = Maker(
            name: "sqlite",
            persistent: true,
            location: StoreMaker.sqlite.location,
            open: { path in try SQLiteUsageStore(path: path, durability: .processCrash) }
        )

        static let postgres = Maker(
            name: "postgres",
            persistent: true,
            location: StoreMaker.postgres.location,
            open: { url in try await PostgresUsageStore(url: url, logger: Logger(label: "chorus.storage.tests")) }
        )

        static let all: [Maker] = [memory, sqlite] + (StoreMaker.postgresURL == nil ? [] : [postgres])
        static let persistentOnes = all.filter(\.persistent)
        /// The backends several nodes share.
        static let sharedOnes = StoreMaker.postgresURL == nil ? [] : [postgres]
    }

    private let app = "app-\(UUID().uuidString)"

    private func key(_ day: String, app: String? = nil) -> UsageKey {
        UsageKey(appID: app ?? self.app, day: day)
    }

    @Test(arguments: Maker.all)
    func additionsAddUpAndAZeroDeltaReads(_ maker: Maker) async throws {
        let store = try await maker.open(maker.location())
        let today = key("2026-11-30")
        #expect(try await store.add([today: 0]) == [today: 0])
        #expect(try await store.add([today: 3]) == [today: 3])
        #expect(try await store.add([today: 4]) == [today: 7])
        #expect(try await store.add([today: 0]) == [today: 7])
        await store.close()
    }

    @Test(arguments: Maker.all)
    func eachAppAndDayHasItsOwnRow(_ maker: Maker) async throws {
        let store = try await maker.open(maker.location())
        let other = "other-\(UUID().uuidString)"
        let totals = try await store.add([
            key("2026-11-29"): 5, key("2026-11-30"): 2, key("2026-11-30", app: other): 9,
        ])
        #expect(totals == [key("2026-11-29"): 5, key("2026-11-30"): 2, key("2026-11-30", app: other): 9])
        #expect(try await store.add([key("2026-11-30"): 1]) == [key("2026-11-30"): 3])
        await store.close()
    }

    @Test(arguments: Maker.persistentOnes)
    func countsSurviveReopening(_ maker: Maker) async throws {
        let location = maker.location()
        let first = try await maker.open(location)
        _ = try await first.add([key("2026-11-30"): 41])
        await first.close()
        let second = try await maker.open(location)
        #expect(try await second.add([key("2026-11-30"): 1]) == [key("2026-11-30"): 42])
        await second.close()
    }

    /// Two stores on one database (two nodes on one PostgreSQL database): additions add up, and
    /// each sees the other's. (A SQLite file belongs to one node.)
    @Test(arguments: Maker.sharedOnes)
    func twoWritersAddUp(_ maker: Maker) async throws {
        let location = maker.location()
        let first = try await maker.open(location)
        let second = try await maker.open(location)
        async let a: Void = { for _ in 0..<20 { _ = try await first.add([key("2026-11-30"): 1]) } }()
        async let b: Void = { for _ in 0..<20 { _ = try await second.add([key("2026-11-30"): 2]) } }()
        _ = try await (a, b)
        #expect(try await first.add([key("2026-11-30"): 0]) == [key("2026-11-30"): 60])
        await first.close()
        await second.close()
    }

    @Test func theFactoryPutsSQLiteCountsBesideTheHistory() async throws {
        #expect(
            StorageConfiguration.sqlitePath(besideHistory: "/data/chorus.sqlite", suffix: "usage")
                == "/data/chorus-usage.sqlite"
        )
        let history = StoreMaker.sqlite.location()
        let store = try await UsageStoreFactory.open(
            StorageConfiguration(driver: .sqlite, path: history),
            logger: Logger(label: "chorus.storage.tests")
        )
        _ = try await store.add([key("2026-11-30"): 1])
        await store.close()
        #expect(
            FileManager.default.fileExists(
                atPath: StorageConfiguration.sqlitePath(besideHistory: history, suffix: "usage")
            )
        )
    }

    @Test func postgresRecordsItsMigration() async throws {
        guard let url = StoreMaker.postgresURL else { return }
        let database = try await TestDatabase(serverURL: url, logger: Logger(label: "chorus.storage.tests"))
        let store = try await PostgresUsageStore(url: database.url, logger: Logger(label: "chorus.storage.tests"))
        await store.close()
        #expect(try await database.migrationVersions(table: "chorus_usage_schema_migrations") == [1])
        try await database.drop()
    }
}
