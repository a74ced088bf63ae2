import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import Testing

@Suite("HTTP API: batch events")
struct HTTPAPIBatchTests {
    @Test("events are published in request order; the answer is {} without info")
    func order() async throws {
        try await TestServer.with { server in
            let socket = try await HTTPAPIEventsTests.subscriber(server, channel: "orders")
            let http = server.httpClient()
            let events: [JSONValue] = (1...10).map {
                ["name": .string("n\($0)"), "channel": "orders", "data": .string("\($0)")]
            }
            let response = try await http.triggerBatch(appID: server.app.id, events: events)
            #expect(response.status == .ok)
            #expect(response.bodyText == "{}")
            for index in 1...10 {
                let message = try await socket.expect("n\(index)", channel: "orders")
                #expect(message.data == .string("\(index)"))
            }
            await http.shutdown()
        }
    }

    @Test("one invalid event rejects the whole batch and nothing is published")
    func allOrNothing() async throws {
        try await TestServer.with { server in
            let socket = try await HTTPAPIEventsTests.subscriber(server, channel: "orders")
            let http = server.httpClient()
            let invalid: [(JSONValue, HTTPResponseStatus, String)] = [
                (["name": "pusher:nope", "channel": "orders", "data": "x"], .badRequest, "reserved_event_name"),
                (["name": "e", "channel": "orders"], .badRequest, "missing_data"),
                (
                    ["name": "e", "channel": "orders", "data": .string(String(repeating: "x", count: 100 * 1024 + 1))],
                    .payloadTooLarge, "payload_too_large"
                ),
            ]
            for (bad, status, code) in invalid {
                let events: [JSONValue] = [
                    ["name": "good", "channel": "orders", "data": "1"], bad,
                    ["name": "good", "channel": "orders", "data": "3"],
                ]
                let response = try await http.triggerBatch(appID: server.app.id, events: events)
                #expect(response.status == status)
                #expect(response.errorCode == code)
                #expect((try? response.json())?["error"]?.stringValue?.hasPrefix("batch[1]") == true)
            }
            try await socket.expectSilence()
            await http.shutdown()
        }
    }

    @Test("with info, the answer holds one element per event, {} where info was not asked")
    func infoAligned() async throws {
        try await TestServer.with { server in
            let first = try await HTTPAPIEventsTests.subscriber(server, channel: "orders")
            let second = try await HTTPAPIEventsTests.subscriber(server, channel: "orders")
            let http = server.httpClient()
            let events: [JSONValue] = [
                ["name": "a", "channel": "orders", "data": "1", "info": "subscription_count"],
                ["name": "b", "channel": "inventory", "data": "2"],
                ["name": "c", "channel": "empty", "data": "3", "info": "subscription_count"],
            ]
            let response = try await http.triggerBatch(appID: server.app.id, events: events)
            #expect(response.status == .ok)
            #expect(try response.json() == ["batch": [["subscription_count": 2], [:], ["subscription_count": 0]]])
            _ = (first, second)
            await http.shutdown()
        }
    }

    @Test("a body without a batch array, or an empty batch, is 400")
    func malformed() async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let path = "/apps/\(server.app.id)/batch_events"
            let cases: [(JSONValue, String)] = [
                (["events": []], "missing_batch"), (["batch": []], "empty_batch"), (["batch": "x"], "missing_batch"),
            ]
            for (body, code) in cases {
                let response = try await http.post(path, json: body)
                #expect(response.status == .badRequest)
                #expect(response.errorCode == code)
            }
            await http.shutdown()
        }
    }
}
