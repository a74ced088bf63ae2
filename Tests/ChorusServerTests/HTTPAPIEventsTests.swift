import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import Testing

@Suite("HTTP API: publishing events")
struct HTTPAPIEventsTests {
    /// A client subscribed to `channel` (public), past `subscription_succeeded`.
    static func subscriber(_ server: TestServer, channel: String) async throws -> PusherSocket {
        let socket = try await server.connect()
        try await socket.subscribe(channel: channel)
        try await socket.expect("pusher_internal:subscription_succeeded", channel: channel)
        return socket
    }

    @Test("a triggered event reaches subscribers with its data as a string; the answer is {}")
    func triggerReachesSubscriber() async throws {
        try await TestServer.with { server in
            let socket = try await Self.subscriber(server, channel: "orders")
            let http = server.httpClient()
            let response = try await http.post(
                "/apps/\(server.app.id)/events",
                json: ["name": "order-update", "channel": "orders", "data": #"{"order_id":123}"#]
            )
            #expect(response.status == .ok)
            #expect(response.bodyText == "{}")
            let message = try await socket.expect("order-update", channel: "orders")
            #expect(message.data == .string(#"{"order_id":123}"#))
            await http.shutdown()
            await socket.close()
        }
    }

    @Test("object data is serialised; channels[] fans out to every channel")
    func objectDataAndChannels() async throws {
        try await TestServer.with { server in
            let a = try await Self.subscriber(server, channel: "a")
            let b = try await Self.subscriber(server, channel: "b")
            let http = server.httpClient()
            let response = try await http.post(
                "/apps/\(server.app.id)/events",
                json: ["name": "e", "channels": ["a", "b"], "data": ["id": "ord_123"]]
            )
            #expect(response.status == .ok)
            #expect(try await a.expect("e", channel: "a").data == .string(#"{"id":"ord_123"}"#))
            #expect(try await b.expect("e", channel: "b").data == .string(#"{"id":"ord_123"}"#))
            await http.shutdown()
        }
    }

    @Test("socket_id keeps the event from that connection only")
    func socketIDExclusion() async throws {
        try await TestServer.with { server in
            let sender = try await Self.subscriber(server, channel: "room")
            let other = try await Self.subscriber(server, channel: "room")
            let http = server.httpClient()
            let response = try await http.post(
                "/apps/\(server.app.id)/events",
                json: ["name": "said", "channel": "room", "data": "hi", "socket_id": .string(sender.socketID)]
            )
            #expect(response.status == .ok)
            try await other.expect("said", channel: "room")
            try await sender.expectSilence()
            let bad = try await http.post(
                "/apps/\(server.app.id)/events",
                json: ["name": "said", "channel": "room", "data": "hi", "socket_id": "not-a-socket"]
            )
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode == "invalid_socket_id")
            await http.shutdown()
        }
    }

    @Test("info=subscription_count,user_count answers per channel; user_count only on presence")
    func infoCounts() async throws {
        try await TestServer.with { server in
            let first = try await Self.subscriber(server, channel: "news")
            let second = try await Self.subscriber(server, channel: "news")
            let member = try await server.connect()
            let channelData = #"{"user_id":"u1"}"#
            let auth = server.authenticator.channelAuth(
                socketID: member.socketID,
                channel: "presence-room",
                channelData: channelData
            )
            try await member.subscribe(channel: "presence-room", auth: auth, channelData: channelData)
            try await member.expect("pusher_internal:subscription_succeeded")
            let http = server.httpClient()
            let response = try await http.post(
                "/apps/\(server.app.id)/events",
                json: [
                    "name": "e", "channels": ["news", "presence-room"], "data": "x",
                    "info": "subscription_count,user_count",
                ]
            )
            #expect(response.status == .ok)
            #expect(
                try response.json() == [
                    "channels": [
                        "news": ["subscription_count": 2],
                        "presence-room": ["subscription_count": 1, "user_count": 1],
                    ]
                ]
            )
            await http.shutdown()
            _ = (first, second)
        }
    }

    @Test("a repeated idempotency_key gets the first answer and is not broadcast again")
    func idempotency() async throws {
        try await TestServer.with { server in
            let socket = try await Self.subscriber(server, channel: "orders")
            let http = server.httpClient()
            let event: JSONValue = [
                "name": "order.created", "channel": "orders", "data": ["id": "ord_123"],
                "idempotency_key": "order-created-ord_123", "info": "subscription_count",
            ]
            let first = try await http.post("/apps/\(server.app.id)/events", json: event)
            #expect(first.status == .ok)
            try await socket.expect("order.created", channel: "orders")
            let late = try await Self.subscriber(server, channel: "orders")
            let second = try await http.post("/apps/\(server.app.id)/events", json: event)
            #expect(second.status == .ok)
            #expect(second.body == first.body)
            try await socket.expectSilence()
            try await late.expectSilence()
            var other = event
            if case .object(var fields) = other {
                fields["idempotency_key"] = "another"
                other = .object(fields)
            }
            #expect(try await http.post("/apps/\(server.app.id)/events", json: other).status == .ok)
            try await socket.expect("order.created", channel: "orders")
            await http.shutdown()
        }
    }

    @Test("an event to #server-to-user-{id} reaches that user's signed-in connections")
    func serverToUser() async throws {
        try await TestServer.with { server in
            let socket = try await server.connect()
            let userData = #"{"id":"42"}"#
            let auth = server.authenticator.userAuth(socketID: socket.socketID, userData: userData)
            try await socket.send(
                PusherMessage(event: "pusher:signin", data: ["auth": .string(auth), "user_data": .string(userData)])
            )
            try await socket.expect("pusher:signin_success")
            let http = server.httpClient()
            let response = try await http.post(
                "/apps/\(server.app.id)/events",
                json: ["name": "notice", "channel": "#server-to-user-42", "data": "for you"]
            )
            #expect(response.status == .ok)
            let message = try await socket.expect("notice", channel: "#server-to-user-42")
            #expect(message.data == .string("for you"))
            let bad = try await http.post(
                "/apps/\(server.app.id)/events",
                json: ["name": "notice", "channel": "#server-to-user-", "data": "x"]
            )
            #expect(bad.status == .badRequest)
            await http.shutdown()
        }
    }

    @Test("tags and delta are accepted; badly typed ones are 400")
    func tagsAndDelta() async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let path = "/apps/\(server.app.id)/events"
            let ok = try await http.post(
                path,
                json: ["name": "e", "channel": "c", "data": "x", "tags": ["region": "eu"], "delta": true]
            )
            #expect(ok.status == .ok)
            let badTags = try await http.post(path, json: ["name": "e", "channel": "c", "data": "x", "tags": ["n": 1]])
            #expect(badTags.status == .badRequest)
            #expect(badTags.errorCode == "invalid_tags")
            let badDelta = try await http.post(path, json: ["name": "e", "channel": "c", "data": "x", "delta": "yes"])
            #expect(badDelta.status == .badRequest)
            #expect(badDelta.errorCode == "invalid_delta")
            await http.shutdown()
        }
    }

    @Test(
        "malformed events are 400 with a machine code",
        arguments: [
            (#"{"channel":"c","data":"x"}"#, "missing_name"),
            (#"{"name":"","channel":"c","data":"x"}"#, "missing_name"),
            (#"{"name":"e","data":"x"}"#, "missing_channels"),
            (#"{"name":"e","channels":[],"data":"x"}"#, "missing_channels"),
            (#"{"name":"e","channel":"c"}"#, "missing_data"),
            (#"{"name":"e","channel":"bad channel","data":"x"}"#, "invalid_channel_name"),
            (#"{"name":"e","channels":["ok",7],"data":"x"}"#, "invalid_channel_name"),
            (#"{"name":"pusher:x","channel":"c","data":"x"}"#, "reserved_event_name"),
            (#"{"name":"pusher_internal:x","channel":"c","data":"x"}"#, "reserved_event_name"),
            (#"{"name":"e","channel":"c","data":"x","info":"occupied"}"#, "invalid_info"),
            (#"{"name":"e","channel":"c","data":"x","idempotency_key":""}"#, "invalid_idempotency_key"),
            (#"{"name":"e","channel":"c","#, "invalid_json"),
            (#"[1,2]"#, "invalid_request"),
        ]
    )
    func malformed(body: String, code: String) async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let response = try await http.request(
                method: .POST,
                path: "/apps/\(server.app.id)/events",
                body: Array(body.utf8)
            )
            #expect(response.status == .badRequest)
            #expect(response.errorCode == code)
            #expect((try? response.json())?["error"]?.stringValue?.isEmpty == false)
            await http.shutdown()
        }
    }
}
