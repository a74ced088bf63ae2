import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import Testing

@Suite("Sockudo's filter forms over the wire: tags_filter and filter {events, tags}")
struct SubscriptionPredicateLiveTests {
    static let btc: JSONValue = ["key": "symbol", "cmp": "eq", "val": "BTC"]

    /// A client subscribed to `market` with `extra` in its subscribe data.
    static func subscriber(_ server: TestServer, _ extra: [String: JSONValue]) async throws -> PusherSocket {
        let socket = try await server.connect()
        var data = extra
        data["channel"] = "market"
        try await socket.send(PusherMessage(event: PusherEventName.subscribe, data: .object(data)))
        return socket
    }

    /// The next message that is not a subscription count (sent whenever the throttle allows).
    static func nextEvent(_ socket: PusherSocket) async throws -> PusherMessage {
        while true {
            let message = try await socket.next()
            if message.event != PusherEventName.subscriptionCount { return message }
        }
    }

    @Test("each form admits exactly its events; a plain subscriber gets all; names include protocol events")
    func forms() async throws {
        try await TestServer.with({ $0.apps[0].subscriptionCountEnabled = true }) { server in
            // First on the channel: its own subscription count is announced at once, and it lists it.
            let counted = try await Self.subscriber(
                server,
                ["filter": ["events": ["trade", .string(PusherEventName.subscriptionCount)]]]
            )
            let first = [try await counted.next().event, try await counted.next().event]
            #expect(Set(first) == [PusherEventName.subscriptionSucceeded, PusherEventName.subscriptionCount])

            let subscribers = [
                try await Self.subscriber(server, ["tags_filter": Self.btc]),
                try await Self.subscriber(server, ["filter": ["events": ["trade"]]]),
                try await Self.subscriber(server, ["filter": ["events": ["quote"], "tags": Self.btc]]),
                try await Self.subscriber(server, [:]),
            ]
            for socket in subscribers { try await socket.expect(PusherEventName.subscriptionSucceeded) }

            let http = server.httpClient()
            for (name, symbol) in [("trade", "ETH"), ("quote", "BTC"), ("trade", "BTC"), ("halt", "ETH")] {
                let event: JSONValue = [
                    "name": .string(name), "channel": "market", "data": .string("\(name)-\(symbol)"),
                    "tags": ["symbol": .string(symbol)],
                ]
                #expect(try await http.post("/apps/\(server.app.id)/events", json: event).status == .ok)
            }
            await http.shutdown()
            // Each ends with the last event it admits: anything else before it would fail here. A
            // subscription count goes out at every join (under 100 subscribers, at once), before
            // the events: filtered subscribers read strictly, so one reaching them would fail too;
            // the one listing the name gets the counts of the four later joins.
            let count = "count"
            let expected: [[String]] = [
                ["quote-BTC", "trade-BTC"], ["trade-ETH", "trade-BTC"], ["quote-BTC"],
                ["trade-ETH", "quote-BTC", "trade-BTC", "halt-ETH"],
                [count, count, count, count, "trade-ETH", "trade-BTC"],
            ]
            for (index, (socket, texts)) in zip(subscribers + [counted], expected).enumerated() {
                let plain = index == 3
                var got: [String] = []
                for _ in texts {
                    let message = plain ? try await Self.nextEvent(socket) : try await socket.next()
                    got.append(
                        message.event == PusherEventName.subscriptionCount ? count : message.data?.stringValue ?? ""
                    )
                }
                #expect(got == texts)
            }
            for socket in subscribers + [counted] { await socket.close() }
        }
    }

    @Test("refusals: expression, a name too long, filtering disabled")
    func refusals() async throws {
        try await TestServer.with { server in
            let cases: [([String: JSONValue], String, String)] = [
                (
                    ["filter": ["events": ["trade"], "expression": "data.total >= `100`"]], "market",
                    "Invalid filter: filter.expression: expression filters are not supported"
                ),
                (
                    ["filter": ["events": ["trade", .string(String(repeating: "x", count: 201))]]], "market",
                    "Invalid filter: filter.events[1]: longer than 200 bytes"
                ),
            ]
            for (extra, channel, message) in cases {
                let socket = try await server.connect()
                var data = extra
                data["channel"] = .string(channel)
                try await socket.send(PusherMessage(event: PusherEventName.subscribe, data: .object(data)))
                let error = try await socket.expect(PusherEventName.subscriptionError)
                #expect(error.dataObject?["type"] == "InvalidFilter")
                #expect(error.dataObject?["error"]?.stringValue?.hasPrefix(message) == true, "\(error.jsonText)")
                await socket.close()
            }
        }
        try await TestServer.with({ $0.apps[0].tagFilteringEnabled = false }) { server in
            let socket = try await Self.subscriber(server, ["filter": ["events": ["trade"]]])
            let error = try await socket.expect(PusherEventName.subscriptionError)
            #expect(error.dataObject?["error"] == "Tag filtering is disabled for this app")
            await socket.close()
        }
    }
}
