import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The example requests of the HTTP API documents in `shared/seeds/`, signed for real, with the
/// status and body shape Chorus documents for them (`docs/http-api.md`). Placeholders such as
/// `"<string>"` or `optional_socket_id_to_exclude` are replaced by real values.
@Suite("HTTP API: seed document examples")
struct HTTPAPISeedExamplesTests {
    @Test("seed 000: the trigger example and the fully filled-in request template")
    func seed000() async throws {
        try await TestServer.with { server in
            let socket = try await HTTPAPIEventsTests.subscriber(server, channel: "orders")
            let http = server.httpClient()
            let example = try await http.request(
                method: .POST,
                path: "/apps/1/events",
                body: Array(
                    #"{"name": "order-update", "channel": "orders", "data": "{\"order_id\": 123, \"status\": \"shipped\"}"}"#
                        .utf8
                )
            )
            #expect(example.status == .ok)
            #expect(try example.json() == [:])
            let delivered = try await socket.expect("order-update", channel: "orders")
            #expect(delivered.data == .string(#"{"order_id": 123, "status": "shipped"}"#))

            let other = try await server.connect()
            let template: JSONValue = [
                "name": "order-update", "data": [:], "channel": "orders", "channels": ["orders-eu"],
                "socket_id": .string(other.socketID), "info": "subscription_count,user_count", "tags": [:],
                "delta": true,
            ]
            let filled = try await http.post("/apps/1/events", json: template)
            #expect(filled.status == .ok)
            #expect(
                try filled.json() == [
                    "channels": ["orders": ["subscription_count": 1], "orders-eu": ["subscription_count": 0]]
                ]
            )
            #expect(try await socket.expect("order-update", channel: "orders").data == .string("{}"))
            await http.shutdown()
        }
    }

    @Test("seed 001: publish with idempotency_key, batch, channel state; history pages; push answers")
    func seed001() async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let publish: JSONValue = [
                "name": "order.created", "channel": "orders", "data": ["id": "ord_123"],
                "idempotency_key": "order-created-ord_123",
            ]
            let answer1 = try await http.post("/apps/1/events", json: publish)
            #expect(try answer1.json() == [:])
            let batch: JSONValue = [
                "batch": [
                    ["channel": "orders", "name": "order.created", "data": ["id": "ord_123"]],
                    ["channel": "orders", "name": "order.paid", "data": ["id": "ord_123"]],
                ]
            ]
            let answer2 = try await http.post("/apps/1/batch_events", json: batch)
            #expect(try answer2.json() == [:])
            let answer3 = try await http.get("/apps/1/channels")
            #expect(try answer3.json() == ["channels": [:]])
            let answer4 = try await http.get("/apps/1/channels/orders")
            #expect(try answer4.json() == ["occupied": false])
            let answer5 = try await http.get("/apps/1/channels/presence-orders/users")
            #expect(try answer5.json() == ["users": []])
            #expect(try await http.get("/apps/1/channels/orders/users").status == .badRequest)
            // The default app keeps history: the three publishes are retained (docs/history.md).
            let history = try await http.get("/apps/1/channels/orders/history", query: [("limit", "50")])
            #expect(try history.json()["items"]?.arrayValue?.count == 3)
            #expect(try await http.get("/apps/1/channels/orders/messages/1").status == .notFound)
            // The default app takes push requests (docs/push.md): an unknown publish is 404, a
            // registration without platform and token 400.
            let status = try await http.get("/apps/1/push/publish/1/status", query: [("limit", "50")])
            #expect(status.status == .notFound)
            #expect(try status.json()["code"] == "publish_not_found")
            let device = try await http.post("/apps/1/push/deviceRegistrations", json: ["device_id": "d"])
            #expect(device.status == .badRequest)
            await http.shutdown()
        }
    }

    @Test("seed 002: the batch example answers {}; the template with info answers one element per event")
    func seed002() async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let example: [JSONValue] = [
                ["name": "order-created", "channel": "orders", "data": #"{"order_id": 123}"#],
                ["name": "inventory-updated", "channel": "inventory", "data": #"{"item_id": 456, "quantity": 10}"#],
            ]
            let answer = try await http.triggerBatch(appID: "1", events: example)
            #expect(answer.status == .ok)
            #expect(try answer.json() == [:])
            let member = try await HTTPAPIChannelsTests.member(server, userID: "u1", channel: "presence-orders")
            let template: [JSONValue] = [
                [
                    "name": "order-created", "data": [:], "channel": "presence-orders", "channels": ["orders"],
                    "socket_id": .string(member.socketID), "info": "subscription_count,user_count", "tags": [:],
                    "delta": true,
                ]
            ]
            let withInfo = try await http.triggerBatch(appID: "1", events: template)
            #expect(try withInfo.json() == ["batch": [["subscription_count": 1, "user_count": 1]]])
            await http.shutdown()
        }
    }

    @Test("seed 003: both trigger bodies, and its 400, 401, 403 and 413 examples")
    func seed003() async throws {
        try await TestServer.with({
            $0.apps.append(AppConfiguration(id: "2", key: "k2", secret: "s2"))
            $0.apps[1].enabled = false
        }) { server in
            let socket = try await HTTPAPIEventsTests.subscriber(server, channel: "chat-room-1")
            let http = server.httpClient()
            let single: JSONValue = [
                "name": "new-message", "channel": "chat-room-1", "data": #"{"user":"Alice","message":"Hello world!"}"#,
                "socket_id": .string(socket.socketID),
            ]
            let answer6 = try await http.post("/apps/1/events", json: single)
            #expect(try answer6.json() == [:])
            try await socket.expectSilence()
            let multi: JSONValue = [
                "name": "item-updated", "channels": ["product-123", "notifications-global"],
                "data": #"{"item_id":123,"status":"in_stock"}"#,
            ]
            let answer7 = try await http.post("/apps/1/events", json: multi)
            #expect(try answer7.json() == [:])

            let missingName = try await http.post("/apps/1/events", json: ["channel": "orders", "data": "x"])
            #expect(missingName.status == .badRequest)
            #expect(try missingName.json()["error"]?.stringValue != nil)
            let badSignature = try await http.post("/apps/1/events", json: multi, signing: .badSignature)
            #expect(badSignature.status == .unauthorized)
            #expect(try badSignature.json()["error"]?.stringValue != nil)
            let disabled = server.httpClient(app: server.server.configuration.apps[1])
            let forbidden = try await disabled.post("/apps/2/events", json: multi)
            #expect(forbidden.status == .forbidden)
            #expect(try forbidden.json()["error"]?.stringValue != nil)
            await disabled.shutdown()
            let big: JSONValue = [
                "name": "e", "channel": "orders", "data": .string(String(repeating: "x", count: 100 * 1024 + 1)),
            ]
            let tooLarge = try await http.post("/apps/1/events", json: big)
            #expect(tooLarge.status == .payloadTooLarge)
            #expect(try tooLarge.json()["error"]?.stringValue != nil)
            await http.shutdown()
        }
    }

    @Test("seed 003: the curl script's string to sign is what the server checks")
    func seed003Curl() async throws {
        try await TestServer.with { server in
            let body = #"{"name":"new-order","channel":"orders","data":"{\"order_id\":789,\"amount\":99.99}"}"#
            let timestamp = Int(Date().timeIntervalSince1970)
            let md5 = Hex.md5(Array(body.utf8))
            let stringToSign =
                "POST\n/apps/1/events\nauth_key=\(server.app.key)&auth_timestamp=\(timestamp)&auth_version=1.0&body_md5=\(md5)"
            let signature = HMACSigner(secret: server.app.secret).signature(for: stringToSign)
            let query = [
                ("auth_key", server.app.key), ("auth_timestamp", String(timestamp)), ("auth_version", "1.0"),
                ("body_md5", md5), ("auth_signature", signature),
            ]
            let http = server.httpClient()
            let response = try await http.request(
                method: .POST,
                path: "/apps/1/events",
                query: query,
                body: Array(body.utf8),
                signing: .none
            )
            #expect(response.status == .ok)
            #expect(response.bodyText == "{}")
            await http.shutdown()
        }
    }

    @Test("seed 004: /api/v1 paths with X-Relay headers; trigger, batch, channels, users and auth")
    func seed004() async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let relay = [("X-Relay-Key", server.app.key), ("X-Relay-Secret", server.app.secret)]
            let subscriber = try await HTTPAPIEventsTests.subscriber(server, channel: "orders")
            let trigger = try await http.request(
                method: .POST,
                path: "/api/v1/apps/1/events",
                body: Array(#"{"name":"new-order","channels":["orders"],"data":"{\"id\":42}"}"#.utf8),
                signing: .none,
                headers: relay
            )
            #expect(trigger.status == .ok)
            #expect(trigger.bodyText == "{}")
            #expect(try await subscriber.expect("new-order").data == .string(#"{"id":42}"#))

            let batch = (1...10).map { index -> JSONValue in
                ["name": "n", "channel": "orders", "data": .string(String(index))]
            }
            #expect(try await http.triggerBatch(appID: "1", events: batch).status == .ok)

            let one = try await HTTPAPIChannelsTests.member(server, userID: "1")
            let two = try await HTTPAPIChannelsTests.member(server, userID: "2")
            let channels = try await http.get(
                "/api/v1/apps/1/channels",
                query: [("info", "subscription_count")],
                signing: .none
            )
            #expect(channels.status == .unauthorized)
            let list = try await http.get("/apps/1/channels", query: [("info", "subscription_count")])
            #expect(
                try list.json() == [
                    "channels": ["orders": ["subscription_count": 1], "presence-room": ["subscription_count": 2]]
                ]
            )
            let room = try await http.get(
                "/apps/1/channels/presence-room",
                query: [("info", "subscription_count,user_count")]
            )
            #expect(try room.json() == ["occupied": true, "subscription_count": 2, "user_count": 2])
            let answer8 = try await http.get("/apps/1/channels/presence-room/users")
            #expect(try answer8.json() == ["users": [["id": "1"], ["id": "2"]]])

            let auth = try await http.post(
                "/apps/1/auth",
                json: [
                    "socket_id": .string(one.socketID), "channel_name": "presence-room",
                    "channel_data": #"{"user_id":"1"}"#,
                ]
            )
            let answer = try auth.json()
            #expect(answer["auth"]?.stringValue?.hasPrefix("\(server.app.key):") == true)
            #expect(answer["channel_data"] == #"{"user_id":"1"}"#)
            _ = two
            await http.shutdown()
        }
    }
}
