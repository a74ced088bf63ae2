import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import Testing

@Suite("Client events and sign-in")
struct WebSocketClientEventTests {
    /// Two connections subscribed to the private channel `private-chat`.
    static func pair(
        _ server: TestServer,
        channel: String = "private-chat"
    ) async throws -> (PusherSocket, PusherSocket) {
        var sockets: [PusherSocket] = []
        for _ in 0..<2 {
            let socket = try await server.connect()
            try await socket.subscribe(
                channel: channel,
                auth: server.authenticator.channelAuth(socketID: socket.socketID, channel: channel)
            )
            try await socket.expect("pusher_internal:subscription_succeeded", channel: channel)
            sockets.append(socket)
        }
        return (sockets[0], sockets[1])
    }

    @Test("a client event reaches the other subscribers and is not echoed")
    func relayed() async throws {
        try await TestServer.with { server in
            let (sender, receiver) = try await Self.pair(server)
            try await sender.send(PusherMessage(event: "client-typing", channel: "private-chat", data: ["who": "me"]))
            let event = try await receiver.expect("client-typing", channel: "private-chat")
            #expect(event.data == ["who": "me"])
            #expect(event.userID == nil)
            try await sender.expectSilence()
            await sender.close()
            await receiver.close()
        }
    }

    @Test("on presence channels the relayed client event carries the sender's user_id")
    func presenceUserID() async throws {
        try await TestServer.with { server in
            let (alice, _) = try await WebSocketPresenceTests.join(server, userID: "alice")
            let (bob, _) = try await WebSocketPresenceTests.join(server, userID: "bob")
            try await alice.expect("pusher_internal:member_added")
            try await bob.send(PusherMessage(event: "client-wave", channel: WebSocketPresenceTests.channel, data: [:]))
            let wave = try await alice.expect("client-wave")
            #expect(wave.userID == "bob")
            await alice.close()
            await bob.close()
        }
    }

    @Test("client events are refused on public channels, unsubscribed channels and when the app disables them")
    func refused() async throws {
        try await TestServer.with { server in
            let socket = try await server.connect()
            try await socket.subscribe(channel: "public-room")
            try await socket.expect("pusher_internal:subscription_succeeded")
            try await socket.send(PusherMessage(event: "client-x", channel: "public-room", data: [:]))
            try await socket.expect("pusher:error")
            try await socket.send(PusherMessage(event: "client-x", channel: "private-not-joined", data: [:]))
            try await socket.expect("pusher:error")
            await socket.close()
        }
        try await TestServer.with({ $0.apps[0].clientEventsEnabled = false }) { server in
            let (sender, receiver) = try await Self.pair(server)
            try await sender.send(PusherMessage(event: "client-x", channel: "private-chat", data: [:]))
            try await sender.expect("pusher:error")
            try await receiver.expectSilence()
            await sender.close()
            await receiver.close()
        }
    }

    @Test("the client event rate limit admits max per second, then answers 4301")
    func rateLimit() async throws {
        try await TestServer.with { server in
            let (sender, receiver) = try await Self.pair(server)
            // Eleven in one write, read by the server in one go, so all of them fall within the
            // second the first one opens however busy the machine (the window's edges are tested
            // with a fake clock in PusherSessionStateMachineTests).
            let burst = (0...10).map { index in
                PusherMessage(event: "client-n", channel: "private-chat", data: .integer(Int64(index)))
            }
            try await sender.send(burst: burst)
            for index in 0..<10 {
                #expect(try await receiver.expect("client-n").data == .integer(Int64(index)))
            }
            let error = try await sender.expect("pusher:error")
            #expect(error.data?["code"] == .integer(4301))
            try await receiver.expectSilence()
            await sender.close()
            await receiver.close()
        }
    }

    @Test("sign-in with a valid signature succeeds and joins the user's server-to-user channel")
    func signIn() async throws {
        try await TestServer.with { server in
            let socket = try await server.connect()
            let userData = #"{"id":"12345","name":"Ada"}"#
            let auth = server.authenticator.userAuth(socketID: socket.socketID, userData: userData)
            try await socket.send(
                PusherMessage(event: "pusher:signin", data: ["auth": .string(auth), "user_data": .string(userData)])
            )
            let success = try await socket.expect("pusher:signin_success")
            #expect(success.dataObject?["user_data"] == .string(userData))

            let http = server.httpClient()
            let response = try await http.trigger(
                appID: server.app.id,
                name: "note",
                channels: ["#server-to-user-12345"],
                data: "hi"
            )
            #expect(response.status == .ok)
            #expect(try await socket.expect("note").data == "hi")
            await http.shutdown()
            await socket.close()
        }
    }

    @Test("sign-in with a bad signature is refused with 4009")
    func badSignIn() async throws {
        try await TestServer.with { server in
            let socket = try await server.connect()
            let userData = #"{"id":"1"}"#
            let auth = server.authenticator.userAuth(socketID: "9.9", userData: userData)
            try await socket.send(
                PusherMessage(event: "pusher:signin", data: ["auth": .string(auth), "user_data": .string(userData)])
            )
            let error = try await socket.expect("pusher:error")
            #expect(error.data?["code"] == .integer(4009))
            #expect(try await socket.expectClose() == 4009)
        }
    }
}
