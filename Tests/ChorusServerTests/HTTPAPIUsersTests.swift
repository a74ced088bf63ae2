import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import Testing

@Suite("HTTP API: users and auth")
struct HTTPAPIUsersTests {
    /// A connection signed in as `userID`.
    static func signedIn(_ server: TestServer, userID: String) async throws -> PusherSocket {
        let socket = try await server.connect()
        let userData = JSONValue.object(["id": .string(userID)]).jsonText
        let auth = server.authenticator.userAuth(socketID: socket.socketID, userData: userData)
        try await socket.send(
            PusherMessage(event: "pusher:signin", data: ["auth": .string(auth), "user_data": .string(userData)])
        )
        try await socket.expect("pusher:signin_success")
        return socket
    }

    @Test(
        "terminate_connections closes every connection of the user, on both paths",
        arguments: ["/apps/1/users/7/terminate_connections", "/users/7/terminate_connections"]
    )
    func terminate(path: String) async throws {
        try await TestServer.with { server in
            let first = try await Self.signedIn(server, userID: "7")
            let second = try await Self.signedIn(server, userID: "7")
            let bystander = try await Self.signedIn(server, userID: "8")
            let http = server.httpClient()
            let response = try await http.post(path, json: [:])
            #expect(response.status == .ok)
            #expect(response.bodyText == "{}")
            for socket in [first, second] {
                let error = try await socket.expect("pusher:error")
                #expect(error.data?["code"] == 4009)
                #expect(try await socket.expectClose() == 4009)
            }
            try await bystander.expectSilence()
            await http.shutdown()
        }
    }

    @Test("POST /auth signs private and presence subscriptions that the server then accepts")
    func channelAuth() async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let path = "/apps/\(server.app.id)/auth"
            let socket = try await server.connect()

            let privateAnswer = try await http.post(
                path,
                json: ["socket_id": .string(socket.socketID), "channel_name": "private-a"]
            )
            #expect(privateAnswer.status == .ok)
            let privateAuth = try #require(try privateAnswer.json()["auth"]?.stringValue)
            try await socket.subscribe(channel: "private-a", auth: privateAuth)
            try await socket.expect("pusher_internal:subscription_succeeded", channel: "private-a")

            let channelData = #"{"user_id":"5","user_info":{"name":"Eve"}}"#
            let presenceAnswer = try await http.post(
                path,
                json: [
                    "socket_id": .string(socket.socketID), "channel_name": "presence-a",
                    "channel_data": .string(channelData),
                ]
            )
            let presence = try presenceAnswer.json()
            #expect(presence["channel_data"] == .string(channelData))
            let presenceAuth = try #require(presence["auth"]?.stringValue)
            try await socket.subscribe(channel: "presence-a", auth: presenceAuth, channelData: channelData)
            try await socket.expect("pusher_internal:subscription_succeeded", channel: "presence-a")

            let userData = #"{"id":"5"}"#
            let signIn = try await http.post(
                path,
                json: ["socket_id": .string(socket.socketID), "user_data": .string(userData)]
            )
            let userAuth = try #require(try signIn.json()["auth"]?.stringValue)
            try await socket.send(
                PusherMessage(
                    event: "pusher:signin",
                    data: ["auth": .string(userAuth), "user_data": .string(userData)]
                )
            )
            try await socket.expect("pusher:signin_success")
            await http.shutdown()
        }
    }

    @Test(
        "POST /auth refuses what it cannot sign with 400",
        arguments: [
            (["socket_id": "1.1", "channel_name": "public-room"], "channel_needs_no_auth"),
            (["socket_id": "1.1", "channel_name": "presence-a"], "missing_channel_data"),
            (["socket_id": "1.1", "channel_name": "presence-a", "channel_data": "{}"], "invalid_channel_data"),
            (["socket_id": "1.1", "channel_name": "private-encrypted-a"], "encryption_key_not_configured"),
            (["socket_id": "nope", "channel_name": "private-a"], "invalid_socket_id"),
            (["socket_id": "1.1"], "missing_channel_name"),
            (["socket_id": "1.1", "user_data": "{}"], "invalid_user_data"),
        ] as [(JSONValue, String)]
    )
    func authRefusals(body: JSONValue, code: String) async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let response = try await http.post("/apps/\(server.app.id)/auth", json: body)
            #expect(response.status == .badRequest)
            #expect(response.errorCode == code)
            await http.shutdown()
        }
    }
}
