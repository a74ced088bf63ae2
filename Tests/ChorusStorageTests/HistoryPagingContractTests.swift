import ChorusHistory
import ChorusStorage
import Testing

/// Positional paging, bounds and `oldestRetained`.
@Suite struct HistoryPagingContractTests {
    @Test(arguments: StoreMaker.all)
    func pagesThroughTenThousandMessagesBothWays(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            try await appendConcurrently(fixture.store, chat, count: 10_000, prefix: "p")
            let all = Array(Int64(1)...10_000)
            #expect(try await fixture.store.allSerials(chat, direction: .oldestFirst) == all)
            #expect(try await fixture.store.allSerials(chat, direction: .newestFirst, limit: 97) == all.reversed())
        }
    }

    /// Publishes during paging shift nothing: newest-first walks down from where it started,
    /// oldest-first walks up past it, neither skipping nor repeating a serial.
    @Test(arguments: StoreMaker.all)
    func pagingWhileAppendingHasNoGapOrDuplicate(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            let store = fixture.store
            try await appendConcurrently(store, chat, count: 2_000, prefix: "before")
            let writer = Task {
                try await appendConcurrently(store, chat, count: 3_000, prefix: "during")
            }
            let down = try await store.allSerials(chat, direction: .newestFirst, limit: 50)
            let up = try await store.allSerials(chat, direction: .oldestFirst, limit: 50)
            try await writer.value
            let top = try #require(down.first)
            #expect(top >= 2_000)
            #expect(down == Array((1...top).reversed()))
            let last = try #require(up.last)
            #expect(up == Array(1...last))
            #expect(try await store.allSerials(chat, direction: .oldestFirst, limit: 1_000) == Array(1...5_000))
        }
    }

    @Test(arguments: StoreMaker.all)
    func boundsAreInclusive(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            // Serial n is published at 1_000 + (n - 1) ms.
            _ = try await fixture.store.append(Samples.publishes(chat, 20))
            func serials(_ request: HistoryPageRequest) async throws -> [Int64] {
                try await fixture.store.history(request).items.map(\.historySerial)
            }
            #expect(
                try await serials(
                    .init(channel: chat, direction: .oldestFirst, limit: 50, startSerial: 5, endSerial: 8)
                )
                    == [5, 6, 7, 8]
            )
            #expect(
                try await serials(
                    .init(channel: chat, direction: .newestFirst, limit: 50, startSerial: 5, endSerial: 8)
                )
                    == [8, 7, 6, 5]
            )
            #expect(
                try await serials(
                    .init(channel: chat, direction: .oldestFirst, limit: 50, startTimeMs: 1_002, endTimeMs: 1_004)
                ) == [3, 4, 5]
            )
            #expect(
                try await serials(
                    .init(
                        channel: chat,
                        direction: .newestFirst,
                        limit: 2,
                        after: 7,
                        startSerial: 2,
                        startTimeMs: 1_000
                    )
                ) == [6, 5]
            )
            let edge = try await fixture.store.history(
                .init(channel: chat, direction: .oldestFirst, limit: 2, after: 6, endSerial: 8)
            )
            #expect(edge.items.map(\.historySerial) == [7, 8])
            #expect(!edge.hasMore)
            #expect(
                try await serials(
                    .init(channel: chat, direction: .oldestFirst, limit: 50, startSerial: 9, endSerial: 3)
                )
                    == []
            )
        }
    }

    @Test(arguments: StoreMaker.all)
    func anEmptyOrUnknownChannelHasNoHistory(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let page = try await fixture.store.history(
                HistoryPageRequest(channel: fixture.channel("hist-nothing"), direction: .newestFirst, limit: 10)
            )
            #expect(page == HistoryPage(items: [], hasMore: false, oldestRetained: nil))
            let chat = fixture.channel()
            _ = try await fixture.store.append(Samples.publishes(chat, 5))
            let beyond = try await fixture.store.history(
                HistoryPageRequest(channel: chat, direction: .oldestFirst, limit: 10, after: 5)
            )
            #expect(beyond == HistoryPage(items: [], hasMore: false, oldestRetained: 1))
        }
    }
}

/// Appends `count` messages on `channel` from 16 concurrent callers in batches of 50.
func appendConcurrently(_ store: any HistoryStore, _ channel: ChannelRef, count: Int, prefix: String) async throws {
    let batches = stride(from: 0, to: count, by: 50).map { start in
        (start..<min(start + 50, count)).map { Samples.publish(channel, "\(prefix)-\($0)") }
    }
    try await withThrowingTaskGroup(of: Void.self) { group in
        for lane in 0..<16 {
            group.addTask {
                for batch in stride(from: lane, to: batches.count, by: 16) {
                    _ = try await store.append(batches[batch])
                }
            }
        }
        try await group.waitForAll()
    }
}
