import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import Testing

@Suite("HTTP API: channel state")
struct HTTPAPIChannelsTests {
    /// Joins `presence-room` as `userID` on a new connection.
    static func member(
        _ server: TestServer,
        userID: String,
        channel: String = "presence-room"
    ) async throws -> PusherSocket {
        let socket = try await server.connect()
        let channelData = JSONValue.object(["user_id": .string(userID)]).jsonText
        let auth = server.authenticator.channelAuth(
            socketID: socket.socketID,
            channel: channel,
            channelData: channelData
        )
        try await socket.subscribe(channel: channel, auth: auth, channelData: channelData)
        try await socket.expect("pusher_internal:subscription_succeeded", channel: channel)
        return socket
    }

    @Test("GET /channels lists occupied channels, filtered by prefix, with counts when asked")
    func listChannels() async throws {
        try await TestServer.with { server in
            let news = try await HTTPAPIEventsTests.subscriber(server, channel: "news")
            let alice = try await Self.member(server, userID: "alice")
            let aliceAgain = try await Self.member(server, userID: "alice")
            let bob = try await Self.member(server, userID: "bob")
            let http = server.httpClient()
            let path = "/apps/\(server.app.id)/channels"
            #expect(try await http.get(path).json() == ["channels": ["news": [:], "presence-room": [:]]])
            let presence = try await http.get(path, query: [("filter_by_prefix", "presence-"), ("info", "user_count")])
            #expect(try presence.json() == ["channels": ["presence-room": ["user_count": 2]]])
            let counts = try await http.get(
                path,
                query: [("filter_by_prefix", "presence-"), ("info", "user_count,subscription_count")]
            )
            #expect(try counts.json() == ["channels": ["presence-room": ["user_count": 2, "subscription_count": 3]]])
            let refused = try await http.get(path, query: [("info", "user_count")])
            #expect(refused.status == .badRequest)
            #expect(refused.errorCode == "user_count_needs_presence_filter")
            let badInfo = try await http.get(path, query: [("info", "members")])
            #expect(badInfo.errorCode == "invalid_info")
            await bob.close()
            await news.close()
            try await eventually("bob and news gone from the channel list") {
                try await http.get(path).json() == ["channels": ["presence-room": [:]]]
            }
            _ = (alice, aliceAgain)
            await http.shutdown()
        }
    }

    @Test("GET /channels/{name} answers occupied, and counts and cache when asked")
    func describeChannel() async throws {
        try await TestServer.with { server in
            let alice = try await Self.member(server, userID: "alice")
            let watcher = try await HTTPAPIEventsTests.subscriber(server, channel: "cache-prices")
            try await watcher.expect("pusher:cache_miss", channel: "cache-prices")
            let http = server.httpClient()
            let base = "/apps/\(server.app.id)/channels"
            let room = try await http.get("\(base)/presence-room", query: [("info", "subscription_count,user_count")])
            #expect(try room.json() == ["occupied": true, "subscription_count": 1, "user_count": 1])
            #expect(try await http.get("\(base)/nobody-here").json() == ["occupied": false])
            let notPresence = try await http.get("\(base)/cache-prices", query: [("info", "user_count")])
            #expect(notPresence.errorCode == "not_presence_channel")
            let invalid = try await http.get("\(base)/bad%20name")
            #expect(invalid.status == .badRequest)
            #expect(invalid.errorCode == "invalid_channel_name")

            #expect(
                try await http.post(
                    "/apps/\(server.app.id)/events",
                    json: ["name": "tick", "channel": "cache-prices", "data": "42"]
                ).status == .ok
            )
            try await watcher.expect("tick")
            let cached = try await http.get("\(base)/cache-prices", query: [("info", "cache,subscription_count")])
            let json = try cached.json()
            #expect(json["occupied"] == true)
            #expect(json["subscription_count"] == 1)
            #expect(json["cache"]?["data"] == "42")
            #expect(json["cache"]?["event"] == "tick")
            #expect((json["cache"]?["ttl"]?.intValue).map { (1...1800).contains($0) } == true)
            _ = alice
            await http.shutdown()
        }
    }

    @Test("GET /channels/{name}/users lists presence members once each; other channels are 400")
    func users() async throws {
        try await TestServer.with { server in
            let sockets = [
                try await Self.member(server, userID: "1"),
                try await Self.member(server, userID: "2"),
                try await Self.member(server, userID: "2"),
            ]
            let http = server.httpClient()
            let base = "/apps/\(server.app.id)/channels"
            #expect(try await http.get("\(base)/presence-room/users").json() == ["users": [["id": "1"], ["id": "2"]]])
            #expect(try await http.get("\(base)/presence-empty/users").json() == ["users": []])
            let notPresence = try await http.get("\(base)/news/users")
            #expect(notPresence.status == .badRequest)
            #expect(notPresence.errorCode == "not_presence_channel")
            _ = sockets
            await http.shutdown()
        }
    }
}
