import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusStorage
import ChorusTesting
import Foundation
import NIOHTTP1
import Testing

/// `max_messages_per_day` through a live server: the 429 at its exact edge, batches, and a restart
/// on the same usage store.
@Suite("Daily message quota (live)")
struct QuotaLiveTests {
    /// Limit 5, one subscriber: each publish counts 1 + 1 = 2, so the count goes 0 → 2 → 4 → 6; the
    /// third starts at 4 (under 5) and is delivered, the fourth starts at 6 and gets the 429.
    @Test("limit 5 with one subscriber: the 3rd publish passes (count 6), the 4th is 429 quota_exceeded")
    func edge() async throws {
        let clock = QuotaWallClock(QuotaWallClock.midnight - 60)
        try await TestServer.with({ $0.apps[0].maxMessagesPerDay = 5 }, wallClock: WallClock(clock.now)) { server in
            let socket = try await HTTPAPIEventsTests.subscriber(server, channel: "c")
            let http = server.httpClient()
            for index in 1...3 {
                let response = try await http.trigger(
                    appID: server.app.id,
                    name: "e",
                    channels: ["c"],
                    data: "\(index)"
                )
                #expect(response.status == .ok)
                #expect(try await socket.expect("e", channel: "c").data == .string("\(index)"))
            }
            let refused = try await http.trigger(appID: server.app.id, name: "e", channels: ["c"], data: "4")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.errorCode == "quota_exceeded")
            #expect(refused.headers["Retry-After"] == ["60"])
            let message = try refused.json()["error"]?.stringValue ?? ""
            #expect(message.contains("max_messages_per_day = 5") && message.contains("00:00 UTC"))
            try await socket.expectSilence()

            clock.set(QuotaWallClock.midnight)
            #expect(try await http.trigger(appID: server.app.id, name: "e", channels: ["c"], data: "5").status == .ok)
            #expect(try await socket.expect("e", channel: "c").data == .string("5"))
            await http.shutdown()
            await socket.close()
        }
    }

    /// A channel without subscribers counts 1; a batch counts as a whole and is refused whole.
    @Test("a batch counts every event's channels and subscribers, and is refused whole")
    func batch() async throws {
        try await TestServer.with({ $0.apps[0].maxMessagesPerDay = 4 }) { server in
            let socket = try await HTTPAPIEventsTests.subscriber(server, channel: "c")
            let http = server.httpClient()
            let events: [JSONValue] = [
                ["name": "e", "channel": "c", "data": "1"], ["name": "e", "channel": "empty", "data": "2"],
            ]
            #expect(try await http.triggerBatch(appID: server.app.id, events: events).status == .ok)
            _ = try await socket.expect("e", channel: "c")
            #expect(
                try await http.trigger(appID: server.app.id, name: "e", channels: ["empty"], data: "3").status == .ok
            )
            let refused = try await http.triggerBatch(appID: server.app.id, events: events)
            #expect(refused.errorCode == "quota_exceeded")
            try await socket.expectSilence()
            await http.shutdown()
            await socket.close()
        }
    }

    /// Limit 3, one subscriber (2 a publish): a repeated `idempotency_key` is answered from the cache
    /// and not counted again, so the next publish still starts at 2; a refused publish's key is
    /// forgotten, so the same key publishes the next day.
    @Test("a repeated idempotency_key is not counted again; a refused one publishes after midnight")
    func idempotency() async throws {
        let clock = QuotaWallClock(QuotaWallClock.midnight - 10)
        try await TestServer.with({ $0.apps[0].maxMessagesPerDay = 3 }, wallClock: WallClock(clock.now)) { server in
            let socket = try await HTTPAPIEventsTests.subscriber(server, channel: "c")
            let http = server.httpClient()
            let path = "/apps/\(server.app.id)/events"
            func publish(_ key: String) async throws -> PusherHTTPResponse {
                try await http.post(
                    path,
                    json: ["name": "e", "channel": "c", "data": .string(key), "idempotency_key": .string(key)]
                )
            }
            #expect(try await publish("k1").status == .ok)
            _ = try await socket.expect("e", channel: "c")
            #expect(try await publish("k1").status == .ok)
            #expect(try await publish("k2").status == .ok)
            #expect(try await socket.expect("e", channel: "c").data == .string("k2"))
            #expect(try await publish("k3").errorCode == "quota_exceeded")
            clock.set(QuotaWallClock.midnight)
            #expect(try await publish("k3").status == .ok)
            #expect(try await socket.expect("e", channel: "c").data == .string("k3"))
            await http.shutdown()
            await socket.close()
        }
    }

    /// The day's count survives a restart on the same usage store.
    @Test("a restart on the same usage store keeps the day's count")
    func restart() async throws {
        let store = MemoryUsageStore()
        try await TestServer.with({ $0.apps[0].maxMessagesPerDay = 2 }, usageStore: store) { server in
            let http = server.httpClient()
            let response = try await http.trigger(appID: server.app.id, name: "e", channels: ["a", "b"], data: "x")
            #expect(response.status == .ok)
            await http.shutdown()
        }
        try await TestServer.with({ $0.apps[0].maxMessagesPerDay = 2 }, usageStore: store) { server in
            let http = server.httpClient()
            let refused = try await http.trigger(appID: server.app.id, name: "e", channels: ["a"], data: "x")
            #expect(refused.errorCode == "quota_exceeded")
            await http.shutdown()
        }
    }
}
