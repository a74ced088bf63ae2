import ChorusHistory
import ChorusStorage
import Testing

/// The per-message annotation log: creates, deletes, filters, paging.
@Suite struct AnnotationContractTests {
    @Test(arguments: StoreMaker.all)
    func deletesCopyTheCreateAndHappenOnce(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            let store = fixture.store
            _ = try await store.append([Samples.publish(chat, "a"), Samples.publish(chat, "b")])
            let create = Samples.annotation(chat, "m-a", serial: "a-1", name: "like", clientID: "u1", count: 3)
            #expect(try await store.addAnnotation(create))
            let deletion = try await store.deleteAnnotation(
                Samples.annotationDelete(chat, "m-a", serial: "a-2", deleting: "a-1")
            )
            var expected = Samples.annotationDelete(chat, "m-a", serial: "a-2", deleting: "a-1")
            expected.type = create.type
            expected.name = "like"
            expected.clientID = "u1"
            expected.count = 3
            #expect(deletion == .deleted(expected))
            let again = try await store.deleteAnnotation(
                Samples.annotationDelete(chat, "m-a", serial: "a-3", deleting: "a-1")
            )
            #expect(again == .alreadyDeleted(expected))
            let log = try await store.annotationEvents(AnnotationQuery(channel: chat, messageSerial: "m-a", limit: 10))
            #expect(log == [create, expected])
        }
    }

    @Test(arguments: StoreMaker.all)
    func unknownMessagesAndAnnotationsAreNotFound(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            let store = fixture.store
            #expect(try await !store.addAnnotation(Samples.annotation(chat, "m-a", serial: "a-1")))
            _ = try await store.append([Samples.publish(chat, "a"), Samples.publish(chat, "b")])
            #expect(try await !store.addAnnotation(Samples.annotation(chat, "m-zzz", serial: "a-1")))
            #expect(try await store.addAnnotation(Samples.annotation(chat, "m-a", serial: "a-1")))
            // Another message's annotation, an unknown one, an unknown message, a delete event.
            #expect(
                try await store.deleteAnnotation(Samples.annotationDelete(chat, "m-b", serial: "a-2", deleting: "a-1"))
                    == .notFound
            )
            #expect(
                try await store.deleteAnnotation(Samples.annotationDelete(chat, "m-a", serial: "a-2", deleting: "a-9"))
                    == .notFound
            )
            #expect(
                try await store.deleteAnnotation(
                    Samples.annotationDelete(chat, "m-zzz", serial: "a-2", deleting: "a-1")
                )
                    == .notFound
            )
            _ = try await store.deleteAnnotation(Samples.annotationDelete(chat, "m-a", serial: "a-2", deleting: "a-1"))
            #expect(
                try await store.deleteAnnotation(Samples.annotationDelete(chat, "m-a", serial: "a-3", deleting: "a-2"))
                    == .notFound
            )
            #expect(
                try await store.annotationEvents(AnnotationQuery(channel: chat, messageSerial: "m-zzz", limit: 5))
                    == nil
            )
            #expect(
                try await store.annotationEvents(AnnotationQuery(channel: chat, messageSerial: "m-b", limit: 5)) == []
            )
        }
    }

    @Test(arguments: StoreMaker.all)
    func eventsFilterAndPageBySerial(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let chat = fixture.channel()
            let store = fixture.store
            _ = try await store.append([Samples.publish(chat, "a")])
            // Serials sort as strings in commit order (fixed width here, as the server's are).
            let events = (0..<12).map { index in
                Samples.annotation(
                    chat,
                    "m-a",
                    serial: "s-\(index < 10 ? "0" : "")\(index)",
                    type: index % 2 == 0 ? "reactions:distinct.v1" : "votes:total.v1",
                    clientID: index % 3 == 0 ? "u0" : "u1"
                )
            }
            for event in events {
                #expect(try await store.addAnnotation(event))
            }
            func serials(_ query: AnnotationQuery) async throws -> [String]? {
                try await store.annotationEvents(query)?.map(\.serial)
            }
            #expect(try await serials(.init(channel: chat, messageSerial: "m-a", limit: 100)) == events.map(\.serial))
            #expect(
                try await serials(.init(channel: chat, messageSerial: "m-a", afterSerial: "s-04", limit: 3))
                    == ["s-05", "s-06", "s-07"]
            )
            #expect(
                try await serials(.init(channel: chat, messageSerial: "m-a", type: "votes:total.v1", limit: 100))
                    == ["s-01", "s-03", "s-05", "s-07", "s-09", "s-11"]
            )
            #expect(
                try await serials(
                    .init(
                        channel: chat,
                        messageSerial: "m-a",
                        afterSerial: "s-03",
                        type: "votes:total.v1",
                        clientID: "u0",
                        limit: 100
                    )
                ) == ["s-09"]
            )
            #expect(try await serials(.init(channel: chat, messageSerial: "m-a", afterSerial: "s-11", limit: 5)) == [])
        }
    }
}
