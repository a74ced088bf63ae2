import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import Testing

@Suite("Per-IP limits over real sockets")
struct PerIPLimitLiveTests {
    @Test("api_requests_per_ip_per_minute: N signed requests pass, N+1 gets 429 with the rate headers and JSON")
    func apiEdge() async throws {
        let clock = ManualClock()
        try await TestServer.with({ $0.apiRequestsPerIPPerMinute = 3 }, clock: clock) { server in
            let http = server.httpClient()
            for _ in 0..<5 { #expect(try await http.request(method: .GET, path: "/up", signing: .none).status == .ok) }
            for _ in 0..<3 { #expect(try await http.get("/apps/1/channels").status == .ok) }
            clock.advance(by: .seconds(15))
            let refused = try await http.get("/apps/1/channels")
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers["X-RateLimit-Limit"] == ["3"])
            #expect(refused.headers["X-RateLimit-Remaining"] == ["0"])
            #expect(refused.headers["X-RateLimit-Reset"] == ["45"])
            #expect(refused.headers["Retry-After"] == ["45"])
            #expect(try refused.json()["code"]?.stringValue == "rate_limited")
            // Unsigned requests to API routes count too: a bad signature does not get around the limit.
            #expect(
                try await http.request(method: .GET, path: "/apps/1/channels", signing: .none).status
                    == .tooManyRequests
            )
            await http.shutdown()
            // The three leave the window 60 s after they were made (the HTTP idle timeout closed the old connection).
            clock.advance(by: .seconds(45))
            let fresh = server.httpClient()
            #expect(try await fresh.get("/apps/1/channels").status == .ok)
            await fresh.shutdown()
        }
    }

    @Test(
        "behind a trusted proxy each X-Forwarded-For client has its own count; the proxy's own requests count as the proxy"
    )
    func trustedProxy() async throws {
        try await TestServer.with({
            $0.apiRequestsPerIPPerMinute = 1
            $0.trustedProxies = ["127.0.0.0/8"]
        }) { (server) async throws in
            let http = server.httpClient()
            let status = { (forwardedFor: String?) async throws -> Int in try await Self.status(http, forwardedFor) }
            #expect(try await status("198.51.100.1") == 200)
            #expect(try await status("198.51.100.1") == 429)
            #expect(try await status("203.0.113.1, 198.51.100.1") == 429)
            #expect(try await status("198.51.100.2") == 200)
            #expect(try await status(nil) == 200)
            #expect(try await status(nil) == 429)
            await http.shutdown()
        }
    }

    /// The status of a signed channel listing sent with `X-Forwarded-For: forwardedFor` (none when `nil`).
    private static func status(_ http: PusherHTTPClient, _ forwardedFor: String?) async throws -> Int {
        let headers = forwardedFor.map { [("X-Forwarded-For", $0)] } ?? []
        return Int(try await http.request(method: .GET, path: "/apps/1/channels", headers: headers).status.code)
    }

    @Test("loopback is not exempt and X-Forwarded-For from an untrusted peer is ignored")
    func loopbackCounts() async throws {
        try await TestServer.with({ $0.apiRequestsPerIPPerMinute = 1 }) { server in
            let http = server.httpClient()
            #expect(try await http.get("/apps/1/channels").status == .ok)
            let spoofed = try await http.request(
                method: .GET,
                path: "/apps/1/channels",
                headers: [("X-Forwarded-For", "198.51.100.9")]
            )
            #expect(spoofed.status == .tooManyRequests)
            await http.shutdown()
        }
    }

    @Test("connections_per_ip_per_second: N upgrades pass, N+1 gets 429 with Retry-After and JSON, not a 404")
    func connectionEdge() async throws {
        let clock = ManualClock()
        try await TestServer.with({ $0.connectionsPerIPPerSecond = 2 }, clock: clock) { server in
            let first = try await server.connect()
            let second = try await server.connect()
            await #expect(throws: WebSocketConnectError.upgradeRefused(status: 429)) { try await server.connect() }
            let response = try await RawHTTPConnection.with(port: server.port) { connection in
                try await connection.send(
                    "GET \(WebSocketConnector.pusherPath(key: server.app.key)) HTTP/1.1\r\nHost: x\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
                )
                let responses = try await connection.receive(responses: 1)
                #expect(try await connection.isClosedByServer())
                return try #require(responses.first)
            }
            #expect(response.hasPrefix("HTTP/1.1 429"))
            #expect(response.lowercased().contains("retry-after: 1\r\n"))
            #expect(response.lowercased().contains("x-ratelimit-limit: 2\r\n"))
            #expect(response.contains(#""code":"rate_limited""#))
            let metrics = server.metricsClient()
            let text = try await metrics.get("/metrics").bodyText
            #expect(text.contains(#"chorus_per_ip_refusals_total{limit="connections"} 2"#))
            await metrics.shutdown()
            // Plain HTTP requests are not connections.
            let http = server.httpClient()
            #expect(try await http.request(method: .GET, path: "/up", signing: .none).status == .ok)
            await http.shutdown()
            clock.advance(by: .seconds(1))
            let third = try await server.connect()
            for socket in [first, second, third] { await socket.close() }
        }
    }
}
