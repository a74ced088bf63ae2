import ChorusHistory
import ChorusStorage
import Foundation
import Logging
import Testing

@Suite struct HistoryStoreFactoryTests {
    let logger = Logger(label: "chorus.storage.tests")

    @Test func sqliteCreatesItsDirectoryAndFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "chorus-factory-\(UUID().uuidString)"
        )
        let path = directory.appendingPathComponent("nested/chorus.sqlite").path
        let store = try await HistoryStoreFactory.makeStore(
            StorageConfiguration(driver: .sqlite, path: path),
            logger: logger
        )
        #expect(try await store.append([Samples.publish(ChannelRef(appID: "a", channel: "c"), "1")]) == [1])
        await store.close()
        #expect(FileManager.default.fileExists(atPath: path))
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func postgresNeedsAUsableURL() async throws {
        await #expect(throws: HistoryStoreError.self) {
            _ = try await HistoryStoreFactory.makeStore(StorageConfiguration(driver: .postgres), logger: logger)
        }
        await #expect(throws: HistoryStoreError.self) {
            _ = try await HistoryStoreFactory.makeStore(
                StorageConfiguration(driver: .postgres, url: "mysql://nobody@127.0.0.1/db"),
                logger: logger
            )
        }
    }

    @Test(.enabled(if: StoreMaker.postgresURL != nil, "set CHORUS_TEST_POSTGRES_URL"))
    func postgresOpensTheConfiguredDatabase() async throws {
        let store = try await HistoryStoreFactory.makeStore(
            StorageConfiguration(driver: .postgres, url: StoreMaker.postgresURL),
            logger: logger
        )
        let chat = ChannelRef(appID: "factory-\(UUID().uuidString)", channel: "c")
        #expect(try await store.append([Samples.publish(chat, "1")]) == [1])
        await store.close()
    }
}
