import ChorusHistory
import ChorusStorage
import Testing

/// `trim`: by count and by age, per channel of one app, cascading to versions, keys and annotations.
@Suite struct RetentionContractTests {
    @Test(arguments: StoreMaker.all)
    func trimKeepsTheNewestMessagesOfEachChannelOfTheApp(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let a = fixture.channel("hist-a")
            let b = fixture.channel("hist-b")
            let otherApp = ChannelRef(appID: fixture.app + "-other", channel: "hist-a")
            let store = fixture.store
            _ = try await store.append(Samples.publishes(a, 10, prefix: "a"))
            _ = try await store.append(Samples.publishes(b, 4, prefix: "b"))
            _ = try await store.append(Samples.publishes(otherApp, 10, prefix: "o"))
            #expect(try await store.trim(appID: fixture.app, maxMessages: 5, olderThanMs: 0) == 5)
            #expect(try await store.allSerials(a, direction: .oldestFirst) == [6, 7, 8, 9, 10])
            #expect(try await store.allSerials(b, direction: .oldestFirst) == [1, 2, 3, 4])
            #expect(try await store.allSerials(otherApp, direction: .oldestFirst) == Array(1...10))
            let page = try await store.history(HistoryPageRequest(channel: a, direction: .newestFirst, limit: 2))
            #expect(page.oldestRetained == 6)
            #expect(try await store.trim(appID: fixture.app, maxMessages: 5, olderThanMs: 0) == 0)
            // New messages keep numbering after the trimmed ones.
            #expect(try await store.append([Samples.publish(a, "new")]) == [11])
        }
    }

    @Test(arguments: StoreMaker.all)
    func trimDropsMessagesPublishedBeforeTheCutOff(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            // Published at 1_000 … 1_009 ms.
            _ = try await fixture.store.append(Samples.publishes(chat, 10))
            #expect(try await fixture.store.trim(appID: fixture.app, maxMessages: 1_000, olderThanMs: 1_004) == 4)
            #expect(try await fixture.store.allSerials(chat, direction: .oldestFirst) == [5, 6, 7, 8, 9, 10])
            #expect(try await fixture.store.trim(appID: fixture.app, maxMessages: 1_000, olderThanMs: 2_000) == 6)
            let page = try await fixture.store.history(
                HistoryPageRequest(channel: chat, direction: .newestFirst, limit: 5)
            )
            #expect(page == HistoryPage(items: [], hasMore: false, oldestRetained: nil))
        }
    }

    /// What hung off a trimmed message goes with it: the same message serial retained again
    /// starts with no versions, no idempotency keys and no annotations.
    @Test(arguments: StoreMaker.all)
    func trimCascadesToVersionsKeysAndAnnotations(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            let store = fixture.store
            _ = try await store.append([Samples.publish(chat, "x", at: 1_000)])
            _ = try await store.mutate(Samples.replace(chat, "m-x", data: "edited", key: "op", fingerprint: "A"))
            #expect(try await store.addAnnotation(Samples.annotation(chat, "m-x", serial: "a-1")))
            #expect(try await store.trim(appID: fixture.app, maxMessages: 100, olderThanMs: 1_001) == 1)
            #expect(try await store.message(chat, serial: "m-x") == nil)
            #expect(
                try await store.versions(chat, messageSerial: "m-x", page: .init(direction: .newestFirst, limit: 5))
                    == nil
            )
            #expect(
                try await store.annotationEvents(AnnotationQuery(channel: chat, messageSerial: "m-x", limit: 5)) == nil
            )

            #expect(try await store.append([Samples.publish(chat, "x", at: 2_000)]) == [2])
            let versions = try await store.versions(
                chat,
                messageSerial: "m-x",
                page: .init(direction: .newestFirst, limit: 5)
            )
            #expect(versions?.items.map(\.versionNumber) == [1])
            #expect(
                try await store.annotationEvents(AnnotationQuery(channel: chat, messageSerial: "m-x", limit: 5)) == []
            )
            #expect(try await store.addAnnotation(Samples.annotation(chat, "m-x", serial: "a-1")))
            let replay = try await store.mutate(
                Samples.replace(chat, "m-x", data: "edited", key: "op", fingerprint: "B")
            )
            guard case .applied(let effect) = replay else {
                Issue.record("the trimmed message's key survived: \(replay)")
                return
            }
            #expect(effect.latest.versionNumber == 2)
        }
    }
}
