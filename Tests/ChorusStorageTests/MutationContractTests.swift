import ChorusHistory
import ChorusStorage
import Testing

/// Updates, deletes and appends: latest state, versions, idempotency.
@Suite struct MutationContractTests {
    @Test(arguments: StoreMaker.all)
    func aMutationReplacesTheLatestStateAndAddsAVersion(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            _ = try await fixture.store.append(Samples.publishes(chat, 2))
            let outcome = try await fixture.store.mutate(Samples.replace(chat, "m-1", data: "edited"))
            guard case .applied(let effect) = outcome else {
                Issue.record("expected applied, got \(outcome)")
                return
            }
            #expect(effect.latest.versionNumber == 2)
            let latest = try #require(try await fixture.store.message(chat, serial: "m-1"))
            #expect(latest == effect.latest)
            #expect(latest.data == "edited")
            #expect(latest.action == .update)
            #expect(latest.historySerial == 2)
            #expect(latest.version.description == "edit 2")
            #expect(latest.version.metadata == #"{"n":2}"#)
            let history = try await fixture.store.history(
                HistoryPageRequest(channel: chat, direction: .newestFirst, limit: 1)
            )
            #expect(history.items == [latest])
            let versions = try #require(
                try await fixture.store.versions(
                    chat,
                    messageSerial: "m-1",
                    page: .init(direction: .oldestFirst, limit: 10)
                )
            )
            #expect(versions.items.map(\.versionNumber) == [1, 2])
            #expect(versions.items.map(\.data) == ["data-1", "edited"])
            #expect(versions.items.map(\.action) == [.create, .update])
            #expect(versions.items.allSatisfy { $0.historySerial == 2 && $0.publishedAtMs == 1_001 })
            #expect(versions.items[0].version.serial == "m-1")
        }
    }

    @Test(arguments: StoreMaker.all)
    func appendsKeepTheFragmentInTheVersionAndDeletesAreSoft(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            _ = try await fixture.store.append([Samples.publish(chat, "a")])
            _ = try await fixture.store.mutate(Samples.append(chat, "m-a", fragment: "+1"))
            _ = try await fixture.store.mutate(Samples.append(chat, "m-a", fragment: "+2"))
            _ = try await fixture.store.mutate(Samples.replace(chat, "m-a", data: nil, action: .delete))
            let latest = try #require(try await fixture.store.message(chat, serial: "m-a"))
            #expect(latest.action == .delete)
            #expect(latest.data == nil)
            #expect(latest.versionNumber == 4)
            let versions = try #require(
                try await fixture.store.versions(
                    chat,
                    messageSerial: "m-a",
                    page: .init(direction: .newestFirst, limit: 10)
                )
            )
            #expect(versions.items.map(\.data) == [nil, "+2", "+1", "data-a"])
            #expect(versions.items.map(\.action) == [.delete, .append, .append, .create])
        }
    }

    @Test(arguments: StoreMaker.all)
    func versionsPageBothWays(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            _ = try await fixture.store.append([Samples.publish(chat, "v"), Samples.publish(chat, "untouched")])
            for edit in 0..<5 {
                _ = try await fixture.store.mutate(Samples.replace(chat, "m-v", data: "e\(edit)"))
            }
            func numbers(_ direction: PageDirection) async throws -> [Int] {
                var numbers: [Int] = []
                var after: Int?
                while true {
                    let page = try #require(
                        try await fixture.store.versions(
                            chat,
                            messageSerial: "m-v",
                            page: .init(direction: direction, limit: 2, after: after)
                        )
                    )
                    numbers += page.items.map(\.versionNumber)
                    guard page.hasMore else { return numbers }
                    after = page.items.last?.versionNumber
                }
            }
            #expect(try await numbers(.oldestFirst) == [1, 2, 3, 4, 5, 6])
            #expect(try await numbers(.newestFirst) == [6, 5, 4, 3, 2, 1])
            let untouched = try await fixture.store.versions(
                chat,
                messageSerial: "m-untouched",
                page: .init(direction: .newestFirst, limit: 5)
            )
            #expect(untouched?.items.map(\.versionNumber) == [1])
            #expect(untouched?.hasMore == false)
            let past = try await fixture.store.versions(
                chat,
                messageSerial: "m-untouched",
                page: .init(direction: .newestFirst, limit: 5, after: 1)
            )
            #expect(past?.items == [])
            #expect(
                try await fixture.store.versions(
                    chat,
                    messageSerial: "m-nope",
                    page: .init(direction: .newestFirst, limit: 5)
                )
                    == nil
            )
        }
    }

    @Test(arguments: StoreMaker.all)
    func idempotencyKeysAnswerDuplicateOrConflict(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            _ = try await fixture.store.append([Samples.publish(chat, "k")])
            let first = try await fixture.store.mutate(
                Samples.replace(chat, "m-k", data: "once", key: "op-1", fingerprint: "A")
            )
            guard case .applied(let effect) = first else {
                Issue.record("expected applied, got \(first)")
                return
            }
            let replay = try await fixture.store.mutate(
                Samples.replace(chat, "m-k", data: "once", key: "op-1", fingerprint: "A")
            )
            #expect(replay == .duplicate(effect.version))
            let conflict = try await fixture.store.mutate(
                Samples.replace(chat, "m-k", data: "other", key: "op-1", fingerprint: "B")
            )
            #expect(conflict == .conflict)
            // The key's scope is the message and the action: a delete may reuse it.
            let delete = try await fixture.store.mutate(
                Samples.replace(chat, "m-k", data: nil, action: .delete, key: "op-1", fingerprint: "B")
            )
            guard case .applied = delete else {
                Issue.record("expected applied, got \(delete)")
                return
            }
            let latest = try await fixture.store.message(chat, serial: "m-k")
            #expect(latest?.versionNumber == 3)
            let versions = try await fixture.store.versions(
                chat,
                messageSerial: "m-k",
                page: .init(direction: .oldestFirst, limit: 10)
            )
            #expect(versions?.items.count == 3)
        }
    }

    @Test(arguments: StoreMaker.all)
    func mutatingAnUnknownMessageFindsNothing(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            #expect(try await fixture.store.mutate(Samples.replace(chat, "m-0", data: "x")) == .messageNotFound)
            _ = try await fixture.store.append([Samples.publish(chat, "0")])
            #expect(try await fixture.store.mutate(Samples.replace(chat, "m-1", data: "x")) == .messageNotFound)
            #expect(
                try await fixture.store.mutate(Samples.replace(fixture.channel("hist-other"), "m-0", data: "x"))
                    == .messageNotFound
            )
        }
    }

    /// Concurrent mutations of one message apply one after the other: version numbers 2…n+1.
    @Test(arguments: StoreMaker.all)
    func concurrentMutationsSerialise(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            let store = fixture.store
            _ = try await store.append([Samples.publish(chat, "busy")])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        _ = try await store.mutate(Samples.append(chat, "m-busy", fragment: "\(writer)"))
                    }
                }
                try await group.waitForAll()
            }
            let versions = try await store.versions(
                chat,
                messageSerial: "m-busy",
                page: .init(direction: .oldestFirst, limit: 20)
            )
            #expect(versions?.items.map(\.versionNumber) == Array(1...9))
            let latest = try await store.message(chat, serial: "m-busy")
            #expect(latest?.data?.count == "data-busy".count + 8)
        }
    }
}
