import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOWebSocket
import Testing

@Suite("WebSocket handshake, pings and bad input")
struct WebSocketHandshakeTests {
    @Test("connection_established carries a socket id and activity timeout as a JSON string")
    func connectionEstablished() async throws {
        try await TestServer.with { server in
            let session = try await server.openSession(
                path: "/app/\(server.app.key)?protocol=7&client=js&version=8.6.0"
            )
            guard case .text(let text) = try await session.next(timeout: .seconds(5)) else {
                Issue.record("expected a text frame")
                return
            }
            let message = try PusherMessage(parsing: Array(text.utf8))
            #expect(message.event == "pusher:connection_established")
            let data = try #require(message.data?.stringValue, "data must be a string, not an object")
            let inner = try JSONValue(parsing: data)
            let socketID = try #require(inner["socket_id"]?.stringValue)
            #expect(socketID.wholeMatch(of: /\d+\.\d+/) != nil)
            // Up to 15 bytes, the longest string Swift stores inline (no allocation per connection).
            #expect(socketID.utf8.count <= 15)
            #expect(inner["activity_timeout"] == .integer(120))
            await session.close()
        }
    }

    @Test("an unknown app key gets pusher:error 4001 and close 4001")
    func unknownAppKey() async throws {
        try await TestServer.with { server in
            let session = try await server.openSession(path: "/app/no-such-key?protocol=7")
            guard case .text(let text) = try await session.next(timeout: .seconds(5)) else {
                Issue.record("expected pusher:error first")
                return
            }
            let error = try PusherMessage(parsing: Array(text.utf8))
            #expect(error.event == "pusher:error")
            #expect(error.data?["code"] == .integer(4001))
            #expect(
                try await session.next(timeout: .seconds(5)) == .close(code: 4001, reason: "Application does not exist")
            )
        }
    }

    @Test("a disabled app is refused with 4003")
    func disabledApp() async throws {
        try await TestServer.with({ $0.apps[0].enabled = false }) { server in
            await #expect(throws: PusherSocketError.self) { try await server.connect() }
            let session = try await server.openSession(path: WebSocketConnector.pusherPath(key: server.app.key))
            _ = try await session.next(timeout: .seconds(5))
            #expect(try await session.next(timeout: .seconds(5)) == .close(code: 4003, reason: "Application disabled"))
        }
    }

    @Test(
        "protocol versions 5 to 7 are served, others refused",
        arguments: [
            ("5", nil), ("6", nil), ("7", nil), ("4", UInt16(4007)), ("8", UInt16(4007)), ("seven", UInt16(4006)),
        ] as [(String, UInt16?)]
    )
    func protocolVersions(version: String, closeCode: UInt16?) async throws {
        try await TestServer.with { server in
            let session = try await server.openSession(path: "/app/\(server.app.key)?protocol=\(version)")
            guard case .text(let text) = try await session.next(timeout: .seconds(5)) else {
                Issue.record("expected a text frame")
                return
            }
            let first = try PusherMessage(parsing: Array(text.utf8))
            if let closeCode {
                #expect(first.event == "pusher:error")
                #expect(first.data?["code"] == .integer(Int64(closeCode)))
                guard case .close(let code, _) = try await session.next(timeout: .seconds(5)) else {
                    Issue.record("expected a close frame")
                    return
                }
                #expect(code == closeCode)
            } else {
                #expect(first.event == "pusher:connection_established")
                await session.close()
            }
        }
    }

    @Test("a connection without a protocol parameter is treated as protocol 7")
    func missingProtocol() async throws {
        try await TestServer.with { server in
            let session = try await server.openSession(path: "/app/\(server.app.key)")
            guard case .text(let text) = try await session.next(timeout: .seconds(5)) else { return }
            #expect(try PusherMessage(parsing: Array(text.utf8)).event == "pusher:connection_established")
            await session.close()
        }
    }

    @Test("the connection quota admits exactly max_connections, then closes with 4004")
    func connectionQuota() async throws {
        try await TestServer.with({ $0.apps[0].maxConnections = 2 }) { server in
            let first = try await server.connect()
            let second = try await server.connect()
            let session = try await server.openSession(path: WebSocketConnector.pusherPath(key: server.app.key))
            _ = try await session.next(timeout: .seconds(5))
            #expect(
                try await session.next(timeout: .seconds(5))
                    == .close(code: 4004, reason: "Application is over its connection quota")
            )
            await first.close()
            try await eventually("the first connection counted as closed") {
                let metrics = try await server.metricsClient().get("/metrics").bodyText.split(separator: "\n")
                return metrics.first { $0.hasPrefix("chorus_connections ") }?.split(separator: " ").last.flatMap {
                    Double($0)
                } == 1
            }
            let third = try await server.connect()
            await second.close()
            await third.close()
        }
    }

    @Test("pusher:ping is answered with pusher:pong whose data is an object")
    func pingPong() async throws {
        try await TestServer.with { server in
            let socket = try await server.connect()
            try await socket.send(rawText: #"{"event":"pusher:ping","data":{}}"#)
            let pong = try await socket.expect("pusher:pong")
            #expect(pong.data == .object([:]))
            await socket.close()
        }
    }

    @Test("a silent client is pinged after activity_timeout and closed with 4201 without a pong")
    func inactivity() async throws {
        try await TestServer.with({
            $0.activityTimeoutSeconds = 1
            $0.pongTimeoutSeconds = 1
        }) { server in
            let socket = try await server.connect()
            #expect(socket.activityTimeout == 1)
            try await socket.expect("pusher:ping", timeout: .seconds(5))
            let error = try await socket.expect("pusher:error", timeout: .seconds(5))
            #expect(error.data?["code"] == .integer(4201))
            #expect(try await socket.expectClose(timeout: .seconds(5)) == 4201)
        }
    }

    @Test("a pong keeps an idle client connected")
    func pongKeepsAlive() async throws {
        try await TestServer.with({
            $0.activityTimeoutSeconds = 1
            $0.pongTimeoutSeconds = 1
        }) { server in
            let socket = try await server.connect()
            try await socket.expect("pusher:ping", timeout: .seconds(5))
            try await socket.send(rawText: #"{"event":"pusher:pong","data":{}}"#)
            try await socket.expect("pusher:ping", timeout: .seconds(5))
            try await socket.send(rawText: #"{"event":"pusher:pong","data":{}}"#)
            try await socket.send(rawText: #"{"event":"pusher:ping","data":{}}"#)
            try await socket.expect("pusher:pong")
            await socket.close()
        }
    }

    @Test(
        "malformed messages get pusher:error and the connection stays usable",
        arguments: [
            "not json", "[1,2]", #"{"data":{}}"#, #"{"event":"unknown-event"}"#,
            #"{"event":"pusher:subscribe","data":{}}"#,
        ]
    )
    func badInput(text: String) async throws {
        try await TestServer.with { server in
            let socket = try await server.connect()
            try await socket.send(rawText: text)
            let error = try await socket.expect("pusher:error")
            #expect(error.data?["message"]?.stringValue?.isEmpty == false)
            try await socket.send(rawText: #"{"event":"pusher:ping","data":{}}"#)
            try await socket.expect("pusher:pong")
            await socket.close()
        }
    }

    @Test("a message over max_message_bytes closes that connection with 1009 and no other")
    func oversizedMessage() async throws {
        try await TestServer.with({ configuration in
            configuration.maxMessageBytes = 4096
            // The app's largest client event must fit the smaller cap (checked at start-up).
            configuration.apps[0].maxEventPayloadInKB = 1
        }) { server in
            let bystander = try await server.connect()
            let socket = try await server.connect()
            let prefix = #"{"event":"pusher:ping","data":{"pad":""#
            let suffix = #""}}"#
            let atLimit = prefix + String(repeating: "x", count: 4096 - prefix.utf8.count - suffix.utf8.count) + suffix
            #expect(atLimit.utf8.count == 4096)
            try await socket.send(rawText: atLimit)
            try await socket.expect("pusher:pong")
            try await socket.send(rawText: atLimit + " ")
            #expect(try await socket.expectClose() == 1009)
            try await bystander.send(rawText: #"{"event":"pusher:ping","data":{}}"#)
            try await bystander.expect("pusher:pong")
            await bystander.close()
        }
    }
}
