import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOHTTP1
import Testing

@Suite("History: paging 10,000 messages")
struct HistoryPagingTests {
    /// Publishes `count` events to `channel` in batches of 100.
    static func publish(_ count: Int, to channel: String, client: HistoryTestClient, from start: Int = 0) async throws {
        for batch in stride(from: 0, to: count, by: 100) {
            let events: [JSONValue] = (batch..<min(batch + 100, count)).map { index in
                ["name": "e", "channel": .string(channel), "data": .string(String(start + index))]
            }
            let response = try await client.http.triggerBatch(appID: client.appID, events: events)
            try #require(response.status == .ok)
        }
    }

    @Test("both directions page through every message once, in order, while new ones are published")
    func tenThousand() async throws {
        try await TestServer.withHistory({ configuration in
            configuration.apps[0].maxEventBatchSize = 100
            configuration.apps[0].history.maxPageSize = 1000
        }) { server, client in
            try await Self.publish(10_000, to: "hist-big", client: client)
            let writer = HistoryTestClient(server)
            let (newest, oldest) = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await Self.publish(2_000, to: "hist-big", client: writer, from: 10_000) }
                async let newest = client.pageThrough("hist-big", direction: "newest_first", limit: 997)
                let reader = HistoryTestClient(server)
                async let oldest = reader.pageThrough("hist-big", direction: "oldest_first", limit: 1000)
                let pages = try await (newest, oldest)
                try await group.waitForAll()
                await reader.shutdown()
                return pages
            }
            await writer.shutdown()
            // Newest first starts at whatever was newest when it began and goes down to 1, gapless.
            let top = try #require(newest.first)
            #expect(top >= 10_000)
            #expect(newest == Array((1...top).reversed()))
            // Oldest first goes from 1 to whatever was newest when it ended, gapless.
            let bottom = try #require(oldest.last)
            #expect(bottom >= 10_000)
            #expect(oldest == Array(1...bottom))
            // Everything published is there once: the newest serial is the count.
            let newestNow = try await client.history("hist-big", [("limit", "1")]).json()
            #expect(newestNow["items"]?.arrayValue?.first?["serial"] == 12_000)
        }
    }
}
