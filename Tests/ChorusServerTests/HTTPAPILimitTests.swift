import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import Testing

/// Each per-app limit at its edge: exactly at the limit passes, one over fails.
@Suite("HTTP API: per-app limits")
struct HTTPAPILimitTests {
    @Test("max_event_payload_in_kb: exactly the limit passes, one byte over is 413")
    func payload() async throws {
        try await TestServer.with({ $0.apps[0].maxEventPayloadInKB = 2 }) { server in
            let http = server.httpClient()
            let path = "/apps/\(server.app.id)/events"
            let atLimit = String(repeating: "a", count: 2048)
            #expect(
                try await http.post(path, json: ["name": "e", "channel": "c", "data": .string(atLimit)]).status == .ok
            )
            let over = try await http.post(path, json: ["name": "e", "channel": "c", "data": .string(atLimit + "a")])
            #expect(over.status == .payloadTooLarge)
            #expect(over.errorCode == "payload_too_large")
            await http.shutdown()
        }
    }

    @Test("max_event_channels_at_once: exactly the limit passes, one over is 400")
    func channels() async throws {
        try await TestServer.with({ $0.apps[0].maxEventChannelsAtOnce = 3 }) { server in
            let http = server.httpClient()
            let path = "/apps/\(server.app.id)/events"
            let three: JSONValue = ["c1", "c2", "c3"]
            #expect(try await http.post(path, json: ["name": "e", "channels": three, "data": "x"]).status == .ok)
            let over = try await http.post(
                path,
                json: ["name": "e", "channels": ["c1", "c2", "c3", "c4"], "data": "x"]
            )
            #expect(over.status == .badRequest)
            #expect(over.errorCode == "too_many_channels")
            await http.shutdown()
        }
    }

    @Test("default of 100 channels per event: 100 pass, 101 fail")
    func defaultChannels() async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let path = "/apps/\(server.app.id)/events"
            let hundred = JSONValue.array((1...100).map { .string("c\($0)") })
            #expect(try await http.post(path, json: ["name": "e", "channels": hundred, "data": "x"]).status == .ok)
            let over = JSONValue.array((1...101).map { .string("c\($0)") })
            let refused = try await http.post(path, json: ["name": "e", "channels": over, "data": "x"])
            #expect(refused.errorCode == "too_many_channels")
            await http.shutdown()
        }
    }

    @Test("max_event_name_length: exactly the limit passes, one over is 400")
    func nameLength() async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let path = "/apps/\(server.app.id)/events"
            let name = String(repeating: "n", count: 200)
            #expect(
                try await http.post(path, json: ["name": .string(name), "channel": "c", "data": "x"]).status == .ok
            )
            let over = try await http.post(path, json: ["name": .string(name + "n"), "channel": "c", "data": "x"])
            #expect(over.status == .badRequest)
            #expect(over.errorCode == "event_name_too_long")
            await http.shutdown()
        }
    }

    @Test("channel names: 164 characters pass, 165 fail")
    func channelNameLength() async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let path = "/apps/\(server.app.id)/events"
            let name = String(repeating: "c", count: 164)
            #expect(
                try await http.post(path, json: ["name": "e", "channel": .string(name), "data": "x"]).status == .ok
            )
            let over = try await http.post(path, json: ["name": "e", "channel": .string(name + "c"), "data": "x"])
            #expect(over.errorCode == "invalid_channel_name")
            await http.shutdown()
        }
    }

    @Test("max_event_batch_size: exactly the limit passes, one over is 400")
    func batchSize() async throws {
        try await TestServer.with({ $0.apps[0].maxEventBatchSize = 4 }) { server in
            let http = server.httpClient()
            let event: JSONValue = ["name": "e", "channel": "c", "data": "x"]
            let four = try await http.triggerBatch(appID: server.app.id, events: Array(repeating: event, count: 4))
            #expect(four.status == .ok)
            let five = try await http.triggerBatch(appID: server.app.id, events: Array(repeating: event, count: 5))
            #expect(five.status == .badRequest)
            #expect(five.errorCode == "batch_too_large")
            await http.shutdown()
        }
    }

    @Test("max_api_requests_per_window: the limit passes with rate-limit headers, one over is 429 with Retry-After")
    func rateLimit() async throws {
        try await TestServer.with({ $0.apps[0].maxAPIRequestsPerWindow = 3 }) { server in
            let http = server.httpClient()
            let path = "/apps/\(server.app.id)/channels"
            for remaining in [2, 1, 0] {
                let response = try await http.get(path)
                #expect(response.status == .ok)
                #expect(response.headers["X-RateLimit-Limit"] == ["3"])
                #expect(response.headers["X-RateLimit-Remaining"] == [String(remaining)])
                #expect(Int(response.headers["X-RateLimit-Reset"].first ?? "").map { (1...60).contains($0) } == true)
                #expect(response.headers["Retry-After"].isEmpty)
            }
            let refused = try await http.get(path)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.errorCode == "rate_limited")
            #expect(refused.headers["X-RateLimit-Remaining"] == ["0"])
            #expect(Int(refused.headers["Retry-After"].first ?? "").map { (1...60).contains($0) } == true)
            await http.shutdown()
        }
    }

    @Test("no rate-limit headers when the app has no limit")
    func noLimitNoHeaders() async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let response = try await http.get("/apps/\(server.app.id)/channels")
            #expect(response.status == .ok)
            #expect(response.headers["X-RateLimit-Limit"].isEmpty)
            await http.shutdown()
        }
    }
}
