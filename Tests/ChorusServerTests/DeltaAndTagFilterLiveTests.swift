import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

/// A Pusher connection read as raw text frames, to compare messages byte for byte.
private struct RawSession {
    let session: WebSocketSession

    static func open(_ server: TestServer) async throws -> RawSession {
        let path = WebSocketConnector.pusherPath(key: server.app.key)
        let raw = RawSession(
            session: try await WebSocketSession.open(
                connector: server.connector,
                path: path,
                on: .singletonMultiThreadedEventLoopGroup
            )
        )
        #expect(try await raw.nextMessage().event == PusherEventName.connectionEstablished)
        return raw
    }

    func send(_ message: PusherMessage) async throws {
        try await session.send(text: message.jsonText)
    }

    func subscribe(_ channel: String, _ extra: [String: JSONValue] = [:]) async throws {
        var data = extra
        data["channel"] = .string(channel)
        try await send(PusherMessage(event: PusherEventName.subscribe, data: .object(data)))
    }

    func nextText(timeout: TimeAmount = .seconds(5)) async throws -> [UInt8] {
        guard case .text(let text) = try await session.next(timeout: timeout) else {
            throw RawSessionError.notText
        }
        return Array(text.utf8)
    }

    func nextMessage() async throws -> PusherMessage {
        try PusherMessage(parsing: try await nextText())
    }

    enum RawSessionError: Error { case notText }
}

@Suite("Delta compression and tag filters over the wire")
struct DeltaAndTagFilterLiveTests {
    /// About 1 KB of telemetry whose readings change a little from one event to the next.
    static func data(_ number: Int) -> String {
        let readings = (0..<24).map {
            #"{"sensor":"bay-\#($0)","celsius":\#($0 % 8 == number % 8 ? 20 + number : 20 + $0).5}"#
        }
        return #"{"seq":\#(number),"readings":["# + readings.joined(separator: ",") + "]}"
    }

    @Test("a batch of 10 events reaches delta subscribers as a chain that rebuilds every full message exactly")
    func deltaChain() async throws {
        try await TestServer.with { server in
            let plain = try await RawSession.open(server)
            try await plain.subscribe("telemetry")
            #expect(try await plain.nextMessage().event == PusherEventName.subscriptionSucceeded)

            let perConnection = try await RawSession.open(server)
            try await perConnection.send(PusherMessage(event: PusherEventName.enableDeltaCompression, data: [:]))
            let enabled = try await perConnection.nextMessage()
            #expect(enabled.event == PusherEventName.deltaCompressionEnabled)
            #expect(enabled.dataObject?["algorithm"] == "fossil")
            try await perConnection.subscribe("telemetry")
            #expect(try await perConnection.nextMessage().event == PusherEventName.subscriptionSucceeded)

            let perSubscription = try await RawSession.open(server)
            try await perSubscription.subscribe("telemetry", ["delta": true])
            #expect(try await perSubscription.nextMessage().event == PusherEventName.subscriptionSucceeded)
            // Sockudo's channel-scoped confirmation of the subscription's own opt-in.
            let confirmed = try await perSubscription.nextMessage()
            #expect(confirmed.event == PusherEventName.deltaCompressionEnabled && confirmed.channel == "telemetry")
            #expect(confirmed.dataObject == ["enabled": true, "algorithm": "fossil", "channel": "telemetry"])

            let batch: [JSONValue] = (0..<10).map { number in
                ["name": "readings", "channel": "telemetry", "data": .string(Self.data(number))]
            }
            let response = try await server.httpClient().post(
                "/apps/\(server.app.id)/batch_events",
                json: ["batch": .array(batch)]
            )
            #expect(response.status == .ok)

            var expected: [[UInt8]] = []
            for _ in 0..<10 { expected.append(try await plain.nextText()) }
            for session in [perConnection, perSubscription] {
                var decoder = DeltaDecoder()
                for index in 0..<10 {
                    #expect(
                        decoder.receive(try await session.nextText()) == .message(expected[index]),
                        "event \(index)"
                    )
                }
                #expect(decoder.deltasApplied == 9)
                #expect(decoder.receivedBytes * 10 < decoder.fullBytes * 4, "less than 40% of the full bytes")
            }

            // After a sync error the next event comes in full.
            try await perSubscription.send(DeltaDecoder.syncErrorMessage(channel: "telemetry"))
            // A connection handles its messages in order: once the pong is back, the sync error was.
            try await perSubscription.send(PusherMessage(event: "pusher:ping", data: .object([:])))
            #expect(try await perSubscription.nextMessage().event == "pusher:pong")
            let one: JSONValue = [
                "name": "readings", "channel": "telemetry", "data": .string(Self.data(10)), "delta": true,
            ]
            #expect(try await server.httpClient().post("/apps/\(server.app.id)/events", json: one).status == .ok)
            let full = try await perSubscription.nextText()
            #expect(DeltaMessage.splitMetadata(full)?.text == (try await plain.nextText()))
            #expect(DeltaMessage(try PusherMessage(parsing: try await perConnection.nextText())) != nil)
        }
    }

    @Test("only subscribers whose filter matches the tags get the event; tags ride along unless stripped")
    func tagFilters() async throws {
        try await TestServer.with { server in
            let btc = try await RawSession.open(server)
            try await btc.subscribe("market", ["filter": ["key": "symbol", "cmp": "eq", "val": "BTC"]])
            #expect(try await btc.nextMessage().event == PusherEventName.subscriptionSucceeded)
            let everything = try await RawSession.open(server)
            try await everything.subscribe("market")
            #expect(try await everything.nextMessage().event == PusherEventName.subscriptionSucceeded)

            for symbol in ["ETH", "BTC"] {
                let event: JSONValue = [
                    "name": "trade", "channel": "market", "data": "{}", "tags": ["symbol": .string(symbol)],
                ]
                #expect(try await server.httpClient().post("/apps/\(server.app.id)/events", json: event).status == .ok)
            }
            let first = try await btc.nextText()
            #expect(String(decoding: first, as: UTF8.self).hasSuffix(#","tags":{"symbol":"BTC"}}"#))
            #expect(try await everything.nextMessage().event == "trade")
            #expect(try await everything.nextText() == first)
        }
    }

    @Test("invalid filters are refused with a subscription error naming the problem")
    func invalidFilter() async throws {
        try await TestServer.with { server in
            let session = try await RawSession.open(server)
            try await session.subscribe("market", ["filter": ["key": "symbol", "cmp": "like", "val": "B"]])
            let error = try await session.nextMessage()
            #expect(error.event == PusherEventName.subscriptionError)
            #expect(error.dataObject?["error"]?.stringValue?.contains("unknown comparison 'like'") == true)
        }
    }

    @Test("strip_tags leaves tags out of client frames; filters still apply")
    func stripTags() async throws {
        try await TestServer.with({ $0.apps[0].stripTags = true }) { server in
            let session = try await RawSession.open(server)
            try await session.subscribe("market", ["filter": ["key": "symbol", "cmp": "in", "vals": ["BTC", "SOL"]]])
            #expect(try await session.nextMessage().event == PusherEventName.subscriptionSucceeded)
            for symbol in ["ETH", "SOL"] {
                let event: JSONValue = [
                    "name": "trade", "channel": "market", "data": "{}", "tags": ["symbol": .string(symbol)],
                ]
                #expect(try await server.httpClient().post("/apps/\(server.app.id)/events", json: event).status == .ok)
            }
            #expect(try await session.nextText() == Array(#"{"event":"trade","channel":"market","data":"{}"}"#.utf8))
        }
    }
}
