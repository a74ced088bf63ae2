import ChorusHistory
import ChorusStorage
import Testing

/// Appends: serials from 1, +1 per publish, in the order given, gapless under concurrency.
@Suite struct AppendContractTests {
    @Test(arguments: StoreMaker.all)
    func serialsStartAtOneAndFollowTheOrderGiven(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            #expect(try await fixture.store.append(Samples.publishes(chat, 3)) == [1, 2, 3])
            #expect(try await fixture.store.append([Samples.publish(chat, "x")]) == [4])
            #expect(try await fixture.store.append([]) == [])
            let page = try await fixture.store.history(
                HistoryPageRequest(channel: chat, direction: .oldestFirst, limit: 10)
            )
            #expect(page.items.map(\.messageSerial) == ["m-0", "m-1", "m-2", "m-x"])
            let first = try #require(page.items.first)
            #expect(first.action == .create)
            #expect(first.versionNumber == 1)
            #expect(first.name == "chat.msg")
            #expect(first.data == "data-0")
            #expect(first.publishedAtMs == 1_000)
            #expect(first.version.serial == "m-0")
            #expect(first.version.timestampMs == 1_000)
            #expect(page.oldestRetained == 1)
            #expect(!page.hasMore)
        }
    }

    @Test(arguments: StoreMaker.all)
    func aBatchNumbersEachChannelOnItsOwn(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let a = fixture.channel("hist-a")
            let b = fixture.channel("hist-b")
            let otherApp = ChannelRef(appID: fixture.app + "-other", channel: "hist-a")
            let serials = try await fixture.store.append([
                Samples.publish(a, "a1"), Samples.publish(b, "b1"), Samples.publish(a, "a2"),
                Samples.publish(otherApp, "o1"), Samples.publish(b, "b2"), Samples.publish(a, "a3"),
            ])
            #expect(serials == [1, 1, 2, 1, 2, 3])
            #expect(try await fixture.store.allSerials(a, direction: .oldestFirst) == [1, 2, 3])
            let message = try await fixture.store.message(b, serial: "m-b2")
            #expect(message?.historySerial == 2)
            #expect(try await fixture.store.message(a, serial: "m-b2") == nil)
            #expect(try await fixture.store.message(fixture.channel("hist-none"), serial: "m-a1") == nil)
        }
    }

    /// 64 concurrent callers, batches of 1…10, several channels: every channel's serials are
    /// 1…n exactly once, each caller's ascending, and history lists each message at its serial.
    @Test(arguments: StoreMaker.all)
    func concurrentAppendsStayGaplessAndOrdered(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let channels = (0..<3).map { fixture.channel("hist-\($0)") }
            let store = fixture.store
            let answers = try await withThrowingTaskGroup(of: [(RetainedPublish, Int64)].self) { group in
                for caller in 0..<64 {
                    group.addTask {
                        var answered: [(RetainedPublish, Int64)] = []
                        for round in 0..<4 {
                            let size = (caller + round) % 10 + 1
                            let batch = (0..<size).map { index in
                                Samples.publish(channels[(caller + index) % 3], "\(caller)-\(round)-\(index)")
                            }
                            answered += zip(batch, try await store.append(batch)).map { ($0, $1) }
                        }
                        return answered
                    }
                }
                var all: [[(RetainedPublish, Int64)]] = []
                for try await answered in group {
                    all.append(answered)
                }
                return all
            }
            for channel in channels {
                let mine = answers.map { answered in answered.filter { $0.0.channel == channel }.map(\.1) }
                for serials in mine {
                    #expect(serials == serials.sorted())
                }
                let all = mine.flatMap { $0 }.sorted()
                #expect(all == Array(1...Int64(all.count)))
                let page = try await store.history(
                    HistoryPageRequest(channel: channel, direction: .oldestFirst, limit: 1_000)
                )
                let expected = answers.flatMap { $0 }.filter { $0.0.channel == channel }.sorted { $0.1 < $1.1 }
                #expect(page.items.map(\.messageSerial) == expected.map(\.0.messageSerial))
            }
        }
    }

    /// A request that cannot commit (a message serial already used on the channel) fails alone:
    /// the requests committed with it succeed, and the serials stay gapless.
    @Test(arguments: StoreMaker.all)
    func aFailingAppendFailsAloneAndLeavesNoGap(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            let store = fixture.store
            #expect(try await store.append([Samples.publish(chat, "taken")]) == [1])
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for caller in 0..<16 {
                    group.addTask {
                        let tag = caller == 7 ? "taken" : "ok-\(caller)"
                        return (try? await store.append([Samples.publish(chat, tag)])) != nil
                    }
                }
                var results: [Bool] = []
                for await result in group {
                    results.append(result)
                }
                return results
            }
            #expect(outcomes.filter { !$0 }.count == 1)
            #expect(try await store.allSerials(chat, direction: .oldestFirst) == Array(1...16))
            let page = try await store.history(HistoryPageRequest(channel: chat, direction: .oldestFirst, limit: 1))
            #expect(page.items.first?.data == "data-taken")
        }
    }
}
