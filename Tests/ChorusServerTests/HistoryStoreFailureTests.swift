import ChorusClient
import ChorusHistory
import ChorusProtocol
import ChorusServer
import ChorusStorage
import ChorusTesting
import Logging
import NIOHTTP1
import Synchronization
import Testing

/// A memory store that fails every call while `failing` is set, and can hold appends at a gate.
final class FaultyHistoryStore: HistoryStore {
    let inner = MemoryHistoryStore()
    let failing = Atomic<Bool>(false)
    /// What happened, in order: "append", "close".
    let log = Mutex<[String]>([])
    private let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let holding = Atomic<Bool>(false)
    /// Resumed when an append arrives at the closed gate.
    let arrived: AsyncStream<Void>
    private let arrival: AsyncStream<Void>.Continuation

    init() {
        (arrived, arrival) = AsyncStream.makeStream()
    }

    /// Holds every append until ``open()``.
    func hold() { holding.store(true, ordering: .relaxed) }

    func open() {
        holding.store(false, ordering: .relaxed)
        gate.withLock { $0.take() }?.resume()
    }

    private func check() throws(HistoryStoreError) {
        if failing.load(ordering: .relaxed) { throw HistoryStoreError("injected failure") }
    }

    func append(_ publishes: [RetainedPublish]) async throws(HistoryStoreError) -> [Int64] {
        if holding.load(ordering: .relaxed) {
            await withCheckedContinuation { continuation in
                gate.withLock { $0 = continuation }
                arrival.yield()
            }
        }
        try check()
        let serials = try await inner.append(publishes)
        log.withLock { $0.append("append") }
        return serials
    }

    func history(_ request: HistoryPageRequest) async throws(HistoryStoreError) -> HistoryPage {
        try check()
        return try await inner.history(request)
    }

    func message(_ channel: ChannelRef, serial: String) async throws(HistoryStoreError) -> StoredMessage? {
        try check()
        return try await inner.message(channel, serial: serial)
    }

    func versions(
        _ channel: ChannelRef,
        messageSerial: String,
        page: VersionPageRequest
    ) async throws(HistoryStoreError) -> VersionPage? {
        try check()
        return try await inner.versions(channel, messageSerial: messageSerial, page: page)
    }

    func mutate(_ mutation: MessageMutation) async throws(HistoryStoreError) -> MutationOutcome {
        try check()
        return try await inner.mutate(mutation)
    }

    func addAnnotation(_ event: AnnotationEvent) async throws(HistoryStoreError) -> Bool {
        try check()
        return try await inner.addAnnotation(event)
    }

    func deleteAnnotation(_ event: AnnotationEvent) async throws(HistoryStoreError) -> AnnotationDeletion {
        try check()
        return try await inner.deleteAnnotation(event)
    }

    func annotationEvents(_ query: AnnotationQuery) async throws(HistoryStoreError) -> [AnnotationEvent]? {
        try check()
        return try await inner.annotationEvents(query)
    }

    func trim(appID: String, maxMessages: Int, olderThanMs: Int64) async throws(HistoryStoreError) -> Int {
        try check()
        return try await inner.trim(appID: appID, maxMessages: maxMessages, olderThanMs: olderThanMs)
    }

    func close() async {
        log.withLock { $0.append("close") }
        await inner.close()
    }
}

@Suite("History: store failures, retention and shutdown")
struct HistoryStoreFailureTests {
    @Test("a failing store answers 503 and applies nothing; the fan-out already happened; a retried key is new")
    func failures() async throws {
        let store = FaultyHistoryStore()
        try await TestServer.withHistory(store: store) { server, client in
            let socket = try await HTTPAPIEventsTests.subscriber(server, channel: "hist-a")
            let (serial, _) = try await client.publish("hist-a", data: "kept")
            try await socket.expect("chat.msg", channel: "hist-a")
            store.failing.store(true, ordering: .relaxed)
            let publish: JSONValue = ["name": "e", "channel": "hist-a", "data": "lost", "idempotency_key": "k"]
            let failed = try await client.post("/apps/1/events", publish)
            #expect(failed.isError(.serviceUnavailable, "history_store_unavailable"))
            try await socket.expect("e", channel: "hist-a")
            let mutation = try await client.post(client.path("hist-a", "messages", serial, "update"), ["data": "x"])
            #expect(mutation.isError(.serviceUnavailable, "history_store_unavailable"))
            #expect(try await client.history("hist-a").status == .serviceUnavailable)
            store.failing.store(false, ordering: .relaxed)

            let page = try await client.history("hist-a").json()
            #expect(page["items"]?.arrayValue?.map { $0["message"]?["data"] } == ["kept"])
            let versions = try await client.get(client.path("hist-a", "messages", serial, "versions")).json()
            #expect(versions["items"]?.arrayValue?.count == 1)
            // The key of the failed publish was forgotten: the retry is published and retained.
            #expect(try await client.post("/apps/1/events", publish).status == .ok)
            try await socket.expect("e", channel: "hist-a")
            #expect(try await client.history("hist-a").json()["items"]?.arrayValue?.count == 2)
            // A committed key answers again without a broadcast.
            #expect(try await client.post("/apps/1/events", publish).status == .ok)
            try await client.publish("hist-a", name: "after")
            try await socket.expect("after", channel: "hist-a")
            await socket.close()
        }
    }

    @Test("a cursor at a message retention removed is 400 cursor_expired")
    func expiredCursor() async throws {
        let store = MemoryHistoryStore()
        try await TestServer.withHistory(store: store) { _, client in
            for _ in 1...5 { try await client.publish("hist-a") }
            let newest = try await client.history("hist-a", [("limit", "2")]).json()
            let backwards = try #require(newest["next_cursor"]?.stringValue)
            let oldest = try await client.history("hist-a", [("limit", "2"), ("direction", "oldest_first")]).json()
            let forwards = try #require(oldest["next_cursor"]?.stringValue)
            #expect(try await store.trim(appID: "1", maxMessages: 2, olderThanMs: 0) == 3)
            let expired = try await client.history("hist-a", [("limit", "2"), ("cursor", backwards)])
            #expect(expired.isError(.badRequest, "cursor_expired"))
            let alsoExpired = try await client.history(
                "hist-a",
                [("limit", "2"), ("direction", "oldest_first"), ("cursor", forwards)]
            )
            #expect(alsoExpired.isError(.badRequest, "cursor_expired"))
            let fresh = try await client.history("hist-a").json()
            #expect(fresh["items"]?.arrayValue?.map { $0["serial"] } == [5, 4])
        }
    }

    @Test("shutdown lets a publish waiting for the store commit and answer, then closes the store")
    func drain() async throws {
        let store = FaultyHistoryStore()
        var configuration = ServerConfiguration.embeddedDefault
        configuration.port = 0
        configuration.metricsPort = 0
        configuration.eventLoops = 1
        var logger = Logger(label: "chorus-test")
        logger.logLevel = .critical
        let server = try await ChorusServer.start(
            configuration: configuration,
            logger: logger,
            clock: EventLoopClock(),
            historyStore: store
        )
        let http = PusherHTTPClient(host: "127.0.0.1", port: server.port, key: "chorus-key", secret: "chorus-secret")
        store.hold()
        async let answer = http.trigger(appID: "1", name: "e", channels: ["hist-a"], data: "d")
        var arrivals = store.arrived.makeAsyncIterator()
        _ = await arrivals.next()
        async let stopped: Void = server.shutdown()
        store.open()
        #expect(try await answer.status == .ok)
        try await stopped
        #expect(store.log.withLock { $0 } == ["append", "close"])
        let page = try await store.inner.history(
            HistoryPageRequest(channel: ChannelRef(appID: "1", channel: "hist-a"), direction: .newestFirst, limit: 10)
        )
        #expect(page.items.count == 1)
        await http.shutdown()
    }
}
