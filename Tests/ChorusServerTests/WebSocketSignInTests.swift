import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOHTTP1
import Testing

@Suite("Sign-in and the user's own channel")
struct WebSocketSignInTests {
    static func signIn(_ socket: PusherSocket, as userID: String, server: TestServer) async throws {
        let userData = #"{"id":"\#(userID)"}"#
        let auth = server.authenticator.userAuth(socketID: socket.socketID, userData: userData)
        try await socket.send(
            PusherMessage(event: "pusher:signin", data: ["auth": .string(auth), "user_data": .string(userData)])
        )
        try await socket.expect("pusher:signin_success")
    }

    /// What pusher-js 8 sends after `pusher.signin()`: a public-style subscribe with an empty auth.
    static func subscribeLikePusherJS(_ socket: PusherSocket, channel: String) async throws {
        try await socket.send(
            PusherMessage(event: "pusher:subscribe", data: ["auth": "", "channel": .string(channel)])
        )
    }

    @Test("after sign-in, subscribing to #server-to-user-{own id} succeeds and events arrive once")
    func ownChannel() async throws {
        try await TestServer.with { server in
            let socket = try await server.connect()
            try await Self.signIn(socket, as: "42", server: server)
            try await Self.subscribeLikePusherJS(socket, channel: "#server-to-user-42")
            try await socket.expect("pusher_internal:subscription_succeeded", channel: "#server-to-user-42")

            let http = server.httpClient()
            let response = try await http.post(
                "/apps/\(server.app.id)/events",
                json: ["name": "notice", "channel": "#server-to-user-42", "data": "for you"]
            )
            #expect(response.status == .ok)
            let message = try await socket.expect("notice", channel: "#server-to-user-42")
            #expect(message.data == .string("for you"))
            try await socket.expectSilence()
            await http.shutdown()
            await socket.close()
        }
    }

    @Test("#server-to-user-{id} is refused before sign-in and for another user's id")
    func othersRefused() async throws {
        try await TestServer.with { server in
            let anonymous = try await server.connect()
            try await Self.subscribeLikePusherJS(anonymous, channel: "#server-to-user-42")
            let early = try await anonymous.expect("pusher:subscription_error", channel: "#server-to-user-42")
            #expect(early.dataObject?["status"] == .integer(401))

            let signedIn = try await server.connect()
            try await Self.signIn(signedIn, as: "7", server: server)
            try await Self.subscribeLikePusherJS(signedIn, channel: "#server-to-user-42")
            let foreign = try await signedIn.expect("pusher:subscription_error", channel: "#server-to-user-42")
            #expect(foreign.dataObject?["type"] == "AuthError")

            let http = server.httpClient()
            _ = try await http.post(
                "/apps/\(server.app.id)/events",
                json: ["name": "notice", "channel": "#server-to-user-42", "data": "not for you"]
            )
            try await anonymous.expectSilence()
            try await signedIn.expectSilence()
            await http.shutdown()
            await anonymous.close()
            await signedIn.close()
        }
    }
}
