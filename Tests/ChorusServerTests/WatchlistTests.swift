import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOHTTP1
import Testing

@Suite("Watchlists")
struct WatchlistTests {
    /// Connects and signs in as `userID` with `watchlist`; returns the socket after `signin_success`.
    static func signIn(_ server: TestServer, _ userID: String, watchlist: [String]? = nil) async throws -> PusherSocket
    {
        let socket = try await server.connect()
        var user: [String: JSONValue] = ["id": .string(userID)]
        if let watchlist { user["watchlist"] = .array(watchlist.map { .string($0) }) }
        let userData = JSONValue.object(user).jsonText
        let auth = server.authenticator.userAuth(socketID: socket.socketID, userData: userData)
        try await socket.send(
            PusherMessage(event: "pusher:signin", data: ["auth": .string(auth), "user_data": .string(userData)])
        )
        try await socket.expect("pusher:signin_success")
        return socket
    }

    /// The `events` of a `pusher_internal:watchlist_events` message.
    static func expectWatchlistEvents(_ socket: PusherSocket) async throws -> JSONValue? {
        try await socket.expect("pusher_internal:watchlist_events").dataObject?["events"]
    }

    @Test("the watcher hears who is online at sign-in, then each watched user's first sign-in and last departure")
    func onlineAndOffline() async throws {
        try await TestServer.with { server in
            let u2 = try await Self.signIn(server, "u2")
            let watcher = try await Self.signIn(server, "u1", watchlist: ["u2", "u3"])
            #expect(try await Self.expectWatchlistEvents(watcher) == [["name": "online", "user_ids": ["u2"]]])

            let u3 = try await Self.signIn(server, "u3")
            #expect(try await Self.expectWatchlistEvents(watcher) == [["name": "online", "user_ids": ["u3"]]])
            let u3Again = try await Self.signIn(server, "u3")
            try await watcher.expectSilence()

            await u3.close()
            try await watcher.expectSilence()
            await u3Again.close()
            #expect(try await Self.expectWatchlistEvents(watcher) == [["name": "offline", "user_ids": ["u3"]]])
            await u2.close()
            #expect(try await Self.expectWatchlistEvents(watcher) == [["name": "offline", "user_ids": ["u2"]]])
            await watcher.close()
        }
    }

    @Test("more than 100 entries: still signed in, error 4302, and no watchlist events")
    func overLimit() async throws {
        try await TestServer.with { server in
            let watcher = try await server.connect()
            let userData = JSONValue.object(["id": "w", "watchlist": .array((0...100).map { .string("u\($0)") })])
                .jsonText
            let auth = server.authenticator.userAuth(socketID: watcher.socketID, userData: userData)
            try await watcher.send(
                PusherMessage(event: "pusher:signin", data: ["auth": .string(auth), "user_data": .string(userData)])
            )
            try await watcher.expect("pusher:signin_success")
            let error = try await watcher.expect("pusher:error")
            #expect(error.data?["code"] == 4302)
            let watched = try await Self.signIn(server, "u1")
            try await watcher.expectSilence()

            let http = server.httpClient()
            let response = try await http.post("/apps/\(server.app.id)/users/w/terminate_connections", json: [:])
            #expect(response.status.code == 200)
            try await watcher.expect("pusher:error")
            #expect(try await watcher.expectClose() == 4009)
            await http.shutdown()
            await watched.close()
        }
    }
}
