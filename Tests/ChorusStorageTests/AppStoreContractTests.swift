import ChorusStorage
import Foundation
import Logging
import Testing

/// The app store: the same answers from SQLite and PostgreSQL (when `CHORUS_TEST_POSTGRES_URL`
/// is set), each test on a store of its own.
@Suite struct AppStoreContractTests {
    /// A backend and how to open a fresh store on it, and the same store again.
    struct Maker: Sendable, CustomTestStringConvertible {
        var name: String
        var make: @Sendable () async throws -> (location: String, drop: @Sendable () async throws -> Void)
        var open: @Sendable (String) async throws -> any AppStore

        var testDescription: String { name }

        static let sqlite = Maker(
            name: "sqlite",
            make: { (StoreMaker.sqlite.location(), {}) },
            open: { path in try SQLiteAppStore(path: path) }
        )

        static let postgres = Maker(
            name: "postgres",
            make: {
                let database = try await TestDatabase(
                    serverURL: StoreMaker.postgresURL ?? "",
                    logger: Logger(label: "chorus.storage.tests")
                )
                return (database.url, { try await database.drop() })
            },
            open: { url in try await PostgresAppStore(url: url, logger: Logger(label: "chorus.storage.tests")) }
        )

        static let all: [Maker] = [sqlite] + (StoreMaker.postgresURL == nil ? [] : [postgres])
    }

    /// Runs `body` on a fresh store at a fresh location, then closes it and drops the location.
    private func withAppStore(
        _ maker: Maker,
        _ body: (any AppStore, String) async throws -> Void
    ) async throws {
        let (location, drop) = try await maker.make()
        let store = try await maker.open(location)
        do {
            try await body(store, location)
        } catch {
            await store.close()
            try await drop()
            throw error
        }
        await store.close()
        try await drop()
    }

    private static func app(_ id: String, key: String? = nil, enabled: Bool = true) -> StoredApp {
        StoredApp(id: id, key: key ?? "key-\(id)", enabled: enabled, document: #"{"id":"\#(id)","secret":"s"}"#)
    }

    @Test(arguments: Maker.all)
    func upsertGetListRemove(maker: Maker) async throws {
        try await withAppStore(maker) { store, _ in
            #expect(try await store.all().isEmpty)
            #expect(try await store.app(id: "1") == nil)
            let before = Int64(Date().timeIntervalSince1970 * 1000) - 1
            try await store.upsert(Self.app("2"))
            try await store.upsert(Self.app("1"))
            let listed = try await store.all()
            #expect(listed.map(\.id) == ["1", "2"])
            #expect(listed.allSatisfy { $0.updatedAtMs >= before })
            let one = try #require(try await store.app(id: "1"))
            #expect(one.key == "key-1" && one.enabled && one.document == Self.app("1").document)

            var changed = Self.app("1", key: "new-key", enabled: false)
            changed.document = #"{"max_connections":5}"#
            try await store.upsert(changed)
            let reread = try #require(try await store.app(id: "1"))
            #expect(reread.key == "new-key" && !reread.enabled && reread.document == changed.document)
            #expect(reread.updatedAtMs >= one.updatedAtMs)

            #expect(try await store.remove(id: "1"))
            #expect(try await store.remove(id: "1") == false)
            #expect(try await store.all().map(\.id) == ["2"])
        }
    }

    @Test(arguments: Maker.all)
    func aKeyBelongsToOneApp(maker: Maker) async throws {
        try await withAppStore(maker) { store, _ in
            try await store.upsert(Self.app("1", key: "shared"))
            let error = await #expect(throws: AppStoreError.self) {
                try await store.upsert(Self.app("2", key: "shared"))
            }
            #expect(error?.isDuplicateKey == true)
            #expect(error?.description == "key 'shared' is already used by app '1'")
            #expect(try await store.all().map(\.id) == ["1"])
            // The holder itself may keep its key.
            try await store.upsert(Self.app("1", key: "shared", enabled: false))
            #expect(try await store.app(id: "1")?.enabled == false)
        }
    }

    @Test(arguments: Maker.all)
    func appsSurviveReopening(maker: Maker) async throws {
        try await withAppStore(maker) { store, location in
            try await store.upsert(Self.app("7"))
            let again = try await maker.open(location)
            #expect(try await again.all().map(\.id) == ["7"])
            await again.close()
        }
    }

    @Test func anUnusableSQLitePathIsAClearError() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-app-\(UUID().uuidString)")
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let error = #expect(throws: AppStoreError.self) { try SQLiteAppStore(path: file.path + "/apps.sqlite") }
        #expect(error?.description.hasPrefix("opening the SQLite app store at \(file.path)/apps.sqlite") == true)
    }
}
