import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import Testing

@Suite("Subscriptions to each channel kind")
struct WebSocketSubscriptionTests {
    @Test("a public subscription succeeds with data \"{}\" as a string")
    func publicChannel() async throws {
        try await TestServer.with { server in
            let socket = try await server.connect()
            try await socket.subscribe(channel: "orders")
            let succeeded = try await socket.expect("pusher_internal:subscription_succeeded", channel: "orders")
            #expect(succeeded.data == .string("{}"))
            await socket.close()
        }
    }

    @Test("a private subscription needs the app's signature of socket_id:channel")
    func privateChannel() async throws {
        try await TestServer.with { server in
            let socket = try await server.connect()
            let auth = server.authenticator.channelAuth(socketID: socket.socketID, channel: "private-a")
            try await socket.subscribe(channel: "private-a", auth: auth)
            try await socket.expect("pusher_internal:subscription_succeeded", channel: "private-a")

            let otherSocketsAuth = server.authenticator.channelAuth(socketID: "1.2", channel: "private-b")
            try await socket.subscribe(channel: "private-b", auth: otherSocketsAuth)
            let error = try await socket.expect("pusher:subscription_error", channel: "private-b")
            let data = try #require(error.dataObject)
            #expect(data["type"] == "AuthError")
            #expect(data["status"] == .integer(401))

            try await socket.subscribe(channel: "private-c")
            try await socket.expect("pusher:subscription_error", channel: "private-c")

            let wrongKey = ChannelAuthenticator(key: "other", secret: server.app.secret)
            try await socket.subscribe(
                channel: "private-d",
                auth: wrongKey.channelAuth(socketID: socket.socketID, channel: "private-d")
            )
            try await socket.expect("pusher:subscription_error", channel: "private-d")
            await socket.close()
        }
    }

    @Test("an encrypted channel authenticates like a private one and refuses client events")
    func encryptedChannel() async throws {
        try await TestServer.with { server in
            let socket = try await server.connect()
            let channel = "private-encrypted-vault"
            try await socket.subscribe(
                channel: channel,
                auth: server.authenticator.channelAuth(socketID: socket.socketID, channel: channel)
            )
            try await socket.expect("pusher_internal:subscription_succeeded", channel: channel)
            try await socket.send(
                PusherMessage(event: "client-x", channel: channel, data: ["nonce": "n", "ciphertext": "c"])
            )
            try await socket.expect("pusher:error")
            await socket.close()
        }
    }

    @Test("channel names: 164 characters pass, 165 or a bad character fail with 400")
    func channelNames() async throws {
        try await TestServer.with { server in
            let socket = try await server.connect()
            let longest = String(repeating: "a", count: 164)
            try await socket.subscribe(channel: longest)
            try await socket.expect("pusher_internal:subscription_succeeded", channel: longest)
            for bad in [String(repeating: "a", count: 165), "has space", "star*", ""] {
                try await socket.subscribe(channel: bad)
                let error = try await socket.expect("pusher:subscription_error")
                #expect(error.dataObject?["status"] == .integer(400), "for \(bad)")
            }
            let allowed = "azAZ09_-=@,.;"
            try await socket.subscribe(channel: allowed)
            try await socket.expect("pusher_internal:subscription_succeeded", channel: allowed)
            await socket.close()
        }
    }

    @Test("subscribing twice is answered again and counted once")
    func doubleSubscribe() async throws {
        try await TestServer.with { server in
            let socket = try await server.connect()
            try await socket.subscribe(channel: "twice")
            try await socket.expect("pusher_internal:subscription_succeeded", channel: "twice")
            try await socket.subscribe(channel: "twice")
            try await socket.expect("pusher_internal:subscription_succeeded", channel: "twice")
            let http = server.httpClient()
            let info = try await http.request(
                method: .GET,
                path: "/apps/\(server.app.id)/channels/twice",
                query: [("info", "subscription_count")]
            )
            #expect(try info.json()["subscription_count"] == .integer(1))
            await http.shutdown()
            await socket.close()
        }
    }

    @Test("a cache channel with nothing cached answers pusher:cache_miss, then replays the last event")
    func cacheChannel() async throws {
        try await TestServer.with { server in
            let first = try await server.connect()
            try await first.subscribe(channel: "cache-prices")
            try await first.expect("pusher_internal:subscription_succeeded", channel: "cache-prices")
            let miss = try await first.expect("pusher:cache_miss", channel: "cache-prices")
            #expect(miss.data == nil)

            let http = server.httpClient()
            let response = try await http.trigger(
                appID: server.app.id,
                name: "price",
                channels: ["cache-prices"],
                data: #"{"p":1}"#
            )
            #expect(response.status == .ok)
            let live = try await first.expect("price", channel: "cache-prices")

            let late = try await server.connect()
            try await late.subscribe(channel: "cache-prices")
            try await late.expect("pusher_internal:subscription_succeeded", channel: "cache-prices")
            let replayed = try await late.expect("price", channel: "cache-prices")
            #expect(replayed == live)
            #expect(replayed.data == .string(#"{"p":1}"#))
            await http.shutdown()
            await first.close()
            await late.close()
        }
    }

    @Test("an unsubscribed connection no longer receives the channel's events")
    func unsubscribe() async throws {
        try await TestServer.with { server in
            let socket = try await server.connect()
            try await socket.subscribe(channel: "news")
            try await socket.expect("pusher_internal:subscription_succeeded")
            try await socket.unsubscribe(channel: "news")
            try await socket.expectSilence()
            let http = server.httpClient()
            _ = try await http.trigger(appID: server.app.id, name: "headline", channels: ["news"], data: "x")
            try await socket.expectSilence()
            await http.shutdown()
            await socket.close()
        }
    }

    @Test("a published event reaches every subscriber with data double encoded, and not the excluded socket")
    func broadcastShape() async throws {
        try await TestServer.with { server in
            var sockets: [PusherSocket] = []
            for _ in 0..<5 {
                let socket = try await server.connect()
                try await socket.subscribe(channel: "feed")
                try await socket.expect("pusher_internal:subscription_succeeded")
                sockets.append(socket)
            }
            let http = server.httpClient()
            let data = #"{"order_id":123,"status":"shipped"}"#
            let response = try await http.trigger(
                appID: server.app.id,
                name: "order-update",
                channels: ["feed"],
                data: data,
                socketID: sockets[0].socketID
            )
            #expect(response.status == .ok)
            for socket in sockets.dropFirst() {
                let event = try await socket.expect("order-update", channel: "feed")
                #expect(event.data == .string(data))
            }
            try await sockets[0].expectSilence()
            await http.shutdown()
            for socket in sockets { await socket.close() }
        }
    }
}
