import ChorusHistory
import ChorusPush
import ChorusStorage
import Foundation
import Logging
import Testing

/// An admitted publish survives the store being closed and opened again, and the factory opens
/// each driver.
@Suite struct PushDurabilityTests {
    @Test(arguments: PushStoreMaker.persistentOnes)
    func reopeningKeepsAnAdmittedPublishAndItsPendingRecipients(maker: PushStoreMaker) async throws {
        let fixture = try await PushFixture(maker)
        try await fixture.register("d1", client: "alice")
        try await fixture.register("d2", platform: .webPush)
        #expect(try await fixture.subscribe("news", client: "alice"))
        let credential = PushCredential.fcm(FCMCredential(serviceAccountJSON: "{}", projectID: "p"))
        _ = try await fixture.store.putCredential(appID: fixture.app, credential: credential, atMs: 7)
        let publish = fixture.publish("p1", [.channel("news"), .device("d2")], key: "k")
        #expect(try await fixture.admit(publish) == .accepted(plannedRecipients: 2))
        try await fixture.store.record([fixture.outcome("p1", "d1", .succeeded)])
        let before = try await fixture.store.status(appID: fixture.app, publishID: "p1")
        await fixture.store.close()

        let reopened = try await fixture.reopen()
        #expect(try await reopened.status(appID: fixture.app, publishID: "p1") == before)
        #expect(try await reopened.unfinishedPublishes().contains(fixture.ref("p1")))
        let pending = try await reopened.pendingDeliveries(appID: fixture.app, publishID: "p1", after: nil, limit: 10)
        #expect(pending.map(\.deviceID) == ["d2"])
        #expect(pending.first?.token == PushSamples.device(fixture.app, "d2", platform: .webPush).token)
        #expect(try await reopened.credentials(appID: fixture.app).map(\.version) == [1])
        #expect(try await reopened.admit(publish, idempotencySinceMs: 0) == .duplicate(publish, plannedRecipients: 2))
        await reopened.close()
    }

    @Test func sqliteFactoryPutsPushBesideTheHistory() async throws {
        #expect(PushStoreFactory.sqlitePath(historyPath: "/data/chorus.sqlite") == "/data/chorus-push.sqlite")
        #expect(PushStoreFactory.sqlitePath(historyPath: "/data/history") == "/data/history-push")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "chorus-push-\(UUID().uuidString)"
        )
        let history = directory.appendingPathComponent("nested/chorus.sqlite").path
        let store = try await PushStoreFactory.open(
            StorageConfiguration(driver: .sqlite, path: history),
            logger: Logger(label: "chorus.storage.tests")
        )
        #expect(try await store.register(PushSamples.device("a", "d")) == .created)
        await store.close()
        #expect(FileManager.default.fileExists(atPath: PushStoreFactory.sqlitePath(historyPath: history)))
        try? FileManager.default.removeItem(at: directory)
    }

    /// The push schema's migrations and the history's live side by side in one file, if a
    /// deployment opens both on the same path.
    @Test func sqlitePushAndHistoryCanShareAFile() async throws {
        let path = StoreMaker.sqlite.location()
        let chat = ChannelRef(appID: "a", channel: "c")
        let history = try SQLiteHistoryStore(path: path)
        #expect(try await history.append([Samples.publish(chat, "1")]) == [1])
        await history.close()
        let push = try SQLitePushStore(path: path)
        #expect(try await push.register(PushSamples.device("a", "d")) == .created)
        await push.close()
        let reopenedHistory = try SQLiteHistoryStore(path: path)
        #expect(try await reopenedHistory.append([Samples.publish(chat, "2")]) == [2])
        await reopenedHistory.close()
        let reopenedPush = try SQLitePushStore(path: path)
        #expect(try await reopenedPush.device(appID: "a", deviceID: "d") != nil)
        await reopenedPush.close()
    }

    @Test func factoryOpensMemoryAndRefusesAPostgresDriverWithoutAUsableURL() async throws {
        let logger = Logger(label: "chorus.storage.tests")
        let memory = try await PushStoreFactory.open(StorageConfiguration(driver: .memory), logger: logger)
        #expect(memory is MemoryPushStore)
        await memory.close()
        await #expect(throws: PushStoreError.self) {
            _ = try await PushStoreFactory.open(StorageConfiguration(driver: .postgres), logger: logger)
        }
        await #expect(throws: PushStoreError.self) {
            _ = try await PushStoreFactory.open(
                StorageConfiguration(driver: .postgres, url: "mysql://nobody@127.0.0.1/db"),
                logger: logger
            )
        }
    }

    /// The push schema migrates once on an empty database and records its own versions.
    @Test(.enabled(if: StoreMaker.postgresURL != nil, "set CHORUS_TEST_POSTGRES_URL"))
    func postgresStoresOpeningTogetherMigrateOnce() async throws {
        let url = try #require(StoreMaker.postgresURL)
        let logger = Logger(label: "chorus.storage.tests")
        let fresh = try await TestDatabase(serverURL: url, logger: logger)
        let stores = try await withThrowingTaskGroup(of: (any PushStore).self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await PushStoreFactory.open(
                        StorageConfiguration(driver: .postgres, url: fresh.url),
                        logger: logger
                    )
                }
            }
            var stores: [any PushStore] = []
            for try await store in group {
                stores.append(store)
            }
            return stores
        }
        #expect(try await stores[0].register(PushSamples.device("a", "d")) == .created)
        #expect(try await stores[2].register(PushSamples.device("a", "d")) == .unchanged)
        for store in stores {
            await store.close()
        }
        #expect(try await fresh.migrationVersions(table: "chorus_push_schema_migrations") == [1])
        try await fresh.drop()
    }
}
