import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import Testing

@Suite("Presence channels")
struct WebSocketPresenceTests {
    static let channel = "presence-room"

    /// Connects and joins the presence channel as `userID`; returns the socket and the roster it got.
    static func join(
        _ server: TestServer,
        userID: String,
        info: JSONValue = ["name": "someone"]
    ) async throws -> (PusherSocket, JSONValue) {
        let socket = try await server.connect()
        let channelData = JSONValue.object(["user_id": .string(userID), "user_info": info]).jsonText
        let auth = server.authenticator.channelAuth(
            socketID: socket.socketID,
            channel: channel,
            channelData: channelData
        )
        try await socket.subscribe(channel: channel, auth: auth, channelData: channelData)
        let succeeded = try await socket.expect("pusher_internal:subscription_succeeded", channel: channel)
        return (socket, try #require(succeeded.dataObject?["presence"]))
    }

    @Test("members see each other join and leave, with the roster on subscription")
    func joinAndLeave() async throws {
        try await TestServer.with { server in
            let (alice, aliceRoster) = try await Self.join(server, userID: "alice", info: ["name": "Alice"])
            #expect(aliceRoster["count"] == .integer(1))
            #expect(aliceRoster["ids"] == ["alice"])
            #expect(aliceRoster["hash"] == ["alice": ["name": "Alice"]])

            let (bob, bobRoster) = try await Self.join(server, userID: "bob", info: ["name": "Bob"])
            #expect(bobRoster["count"] == .integer(2))
            #expect(bobRoster["hash"]?["alice"] == ["name": "Alice"])

            let added = try await alice.expect("pusher_internal:member_added", channel: Self.channel)
            #expect(added.dataObject == ["user_id": "bob", "user_info": ["name": "Bob"]])
            try await bob.expectSilence()

            await bob.close()
            let removed = try await alice.expect("pusher_internal:member_removed", channel: Self.channel)
            #expect(removed.dataObject == ["user_id": "bob"])
            await alice.close()
        }
    }

    @Test("a user's second connection is not announced, and only its last departure is")
    func sameUserTwice() async throws {
        try await TestServer.with { server in
            let (watcher, _) = try await Self.join(server, userID: "watcher")
            let (first, _) = try await Self.join(server, userID: "carol")
            try await watcher.expect("pusher_internal:member_added")
            let (second, roster) = try await Self.join(server, userID: "carol")
            #expect(roster["count"] == .integer(2))
            try await watcher.expectSilence()
            await first.close()
            try await watcher.expectSilence()
            await second.close()
            try await watcher.expect("pusher_internal:member_removed")
            await watcher.close()
        }
    }

    @Test("numeric user ids are accepted and reported as strings")
    func numericUserID() async throws {
        try await TestServer.with { server in
            let socket = try await server.connect()
            let channelData = #"{"user_id":10,"user_info":{"name":"Mr. Pusher"}}"#
            let auth = server.authenticator.channelAuth(
                socketID: socket.socketID,
                channel: Self.channel,
                channelData: channelData
            )
            try await socket.subscribe(channel: Self.channel, auth: auth, channelData: channelData)
            let succeeded = try await socket.expect("pusher_internal:subscription_succeeded")
            #expect(succeeded.dataObject?["presence"]?["ids"] == ["10"])
            await socket.close()
        }
    }

    @Test("the member limit admits exactly max_presence_members users")
    func memberLimit() async throws {
        try await TestServer.with({ $0.apps[0].maxPresenceMembers = 2 }) { server in
            let (a, _) = try await Self.join(server, userID: "a")
            let (b, _) = try await Self.join(server, userID: "b")
            let c = try await server.connect()
            let channelData = #"{"user_id":"c"}"#
            let auth = server.authenticator.channelAuth(
                socketID: c.socketID,
                channel: Self.channel,
                channelData: channelData
            )
            try await c.subscribe(channel: Self.channel, auth: auth, channelData: channelData)
            let error = try await c.expect("pusher:subscription_error", channel: Self.channel)
            #expect(error.dataObject?["type"] == "LimitReached")
            let (aAgain, _) = try await Self.join(server, userID: "a")
            for socket in [a, b, c, aAgain] { await socket.close() }
        }
    }

    @Test("user_info at max_presence_user_info_bytes passes, one byte more fails")
    func userInfoLimit() async throws {
        try await TestServer.with({ $0.apps[0].maxPresenceUserInfoBytes = 100 }) { server in
            let fits: JSONValue = ["n": .string(String(repeating: "x", count: 100 - #"{"n":""}"#.utf8.count))]
            #expect(fits.jsonText.utf8.count == 100)
            let (ok, _) = try await Self.join(server, userID: "fits", info: fits)
            let tooBig: JSONValue = ["n": .string(String(repeating: "x", count: 100 - #"{"n":""}"#.utf8.count + 1))]
            let socket = try await server.connect()
            let channelData = JSONValue.object(["user_id": "big", "user_info": tooBig]).jsonText
            let auth = server.authenticator.channelAuth(
                socketID: socket.socketID,
                channel: Self.channel,
                channelData: channelData
            )
            try await socket.subscribe(channel: Self.channel, auth: auth, channelData: channelData)
            try await socket.expect("pusher:subscription_error")
            await ok.close()
            await socket.close()
        }
    }

    @Test("concurrent joins on different event loops never announce a member the roster already listed")
    func concurrentJoins() async throws {
        try await TestServer.with { server in
            for round in 0..<25 {
                let channel = "presence-race-\(round)"
                let users = ["a", "b", "c"]
                var sockets: [PusherSocket] = []
                for _ in users { sockets.append(try await server.connect()) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for (socket, user) in zip(sockets, users) {
                        group.addTask {
                            let channelData = #"{"user_id":"\#(user)"}"#
                            let auth = server.authenticator.channelAuth(
                                socketID: socket.socketID,
                                channel: channel,
                                channelData: channelData
                            )
                            try await socket.subscribe(channel: channel, auth: auth, channelData: channelData)
                        }
                    }
                    try await group.waitForAll()
                }
                for (socket, user) in zip(sockets, users) {
                    let succeeded = try await socket.expect("pusher_internal:subscription_succeeded", channel: channel)
                    let ids = succeeded.dataObject?["presence"]?["ids"]?.arrayValue?.compactMap(\.stringValue) ?? []
                    var known = Set(ids)
                    #expect(known.contains(user))
                    // Every later member_added must name someone the roster did not list, once.
                    while let added = try? await socket.next(timeout: .milliseconds(150)) {
                        #expect(added.event == "pusher_internal:member_added")
                        let addedUser = added.dataObject?["user_id"]?.stringValue ?? ""
                        #expect(!known.contains(addedUser), "round \(round): \(user) told again about \(addedUser)")
                        known.insert(addedUser)
                    }
                    #expect(known == Set(users), "round \(round): \(user) knows \(known.sorted())")
                }
                for socket in sockets { await socket.close() }
            }
        }
    }

    @Test("presence subscriptions need channel_data signed with the subscription")
    func channelDataIsSigned() async throws {
        try await TestServer.with { server in
            let socket = try await server.connect()
            let signed = #"{"user_id":"honest"}"#
            let auth = server.authenticator.channelAuth(
                socketID: socket.socketID,
                channel: Self.channel,
                channelData: signed
            )
            try await socket.subscribe(channel: Self.channel, auth: auth, channelData: #"{"user_id":"impostor"}"#)
            try await socket.expect("pusher:subscription_error")
            try await socket.subscribe(channel: Self.channel, auth: auth)
            try await socket.expect("pusher:subscription_error")
            await socket.close()
        }
    }
}
