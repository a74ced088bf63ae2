import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import Testing

@Suite("HTTP API: transport, health and metrics")
struct HTTPAPITransportTests {
    /// A signed request as raw HTTP/1.1 text.
    static func signedPost(_ server: TestServer, path: String, body: String) -> String {
        let signer = RequestSigner(key: server.app.key, secret: server.app.secret)
        let target = signer.signedTarget(method: "POST", path: path, body: Array(body.utf8))
        return
            "POST \(target) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    @Test("one keep-alive connection carries several requests, pipelined ones answered in order")
    func keepAlive() async throws {
        try await TestServer.with { server in
            let socket = try await HTTPAPIEventsTests.subscriber(server, channel: "c")
            let publish = Self.signedPost(
                server,
                path: "/apps/1/events",
                body: #"{"name":"e","channel":"c","data":"1"}"#
            )
            try await RawHTTPConnection.with(port: server.port) { connection in
                try await connection.send("GET /up HTTP/1.1\r\nHost: x\r\n\r\n")
                let first = try await connection.receive(responses: 1)
                #expect(first.first?.hasPrefix("HTTP/1.1 200") == true)
                try await connection.send(publish + "GET /up HTTP/1.1\r\nHost: x\r\n\r\n" + publish)
                let more = try await connection.receive(responses: 3)
                #expect(more.count == 3)
                #expect(more.allSatisfy { $0.hasPrefix("HTTP/1.1 200") })
                #expect(more.allSatisfy { !$0.lowercased().contains("connection: close") })
                #expect(more[1].hasSuffix(#"{"ok":true}"#))
            }
            try await socket.expect("e", channel: "c")
            try await socket.expect("e", channel: "c")
        }
    }

    @Test("a body over the hard cap is refused with 413 from its Content-Length alone, and the connection closed")
    func bodyCap() async throws {
        try await TestServer.with({ configuration in
            configuration.maxRequestBodyBytes = 4096
            // The app's largest event must fit the smaller cap (checked at start-up).
            configuration.apps[0].maxEventPayloadInKB = 1
            configuration.apps[0].maxEventChannelsAtOnce = 10
        }) { server in
            try await RawHTTPConnection.with(port: server.port) { connection in
                try await connection.send(
                    "POST /apps/1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n"
                )
                let responses = try await connection.receive(responses: 1)
                #expect(responses.first?.hasPrefix("HTTP/1.1 413") == true)
                #expect(responses.first?.contains("payload_too_large") == true)
                #expect(try await connection.isClosedByServer())
            }
            let http = server.httpClient()
            // Exactly at the cap, padded with JSON whitespace so the event itself stays within its limits.
            let (head, tail) = (#"{"name":"e","channel":"c","#, #""data":"x"}"#)
            let padding = String(repeating: " ", count: 4096 - head.utf8.count - tail.utf8.count)
            let accepted = try await http.request(
                method: .POST,
                path: "/apps/1/events",
                body: Array((head + padding + tail).utf8)
            )
            #expect(accepted.status == .ok)
            await http.shutdown()
        }
    }

    @Test("404 for unknown routes, 405 with Allow for a known path and the wrong method")
    func unknownRoutes() async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let missing = try await http.get("/apps/1/nothing")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "not_found")
            let wrongMethod = try await http.get("/apps/1/events")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers["Allow"] == ["POST"])
            await http.shutdown()
        }
    }

    @Test("/up is unsigned; /metrics, on the metrics port only, counts HTTP requests by route and status")
    func healthAndMetrics() async throws {
        try await TestServer.with { server in
            let http = server.httpClient()
            let up = try await http.request(method: .GET, path: "/up", signing: .none)
            #expect(up.status == .ok)
            #expect(try up.json() == ["ok": true])
            #expect(
                try await http.post("/apps/1/events", json: ["name": "e", "channels": ["a", "b"], "data": "x"]).status
                    == .ok
            )
            #expect(try await http.post("/apps/1/events", json: ["name": "e", "data": "x"]).status == .badRequest)
            #expect(try await http.request(method: .GET, path: "/metrics", signing: .none).status == .notFound)
            let metricsHTTP = server.metricsClient()
            let metrics = try await metricsHTTP.request(method: .GET, path: "/metrics", signing: .none)
            #expect(metrics.status == .ok)
            #expect(metrics.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)
            #expect(try await metricsHTTP.request(method: .GET, path: "/up", signing: .none).status == .ok)
            #expect(try await metricsHTTP.request(method: .GET, path: "/apps/1/channels").status == .notFound)
            await metricsHTTP.shutdown()
            let text = metrics.bodyText
            #expect(text.contains(#"chorus_http_requests_total{route="/apps/:id/events",status="200"} 1"#))
            #expect(text.contains(#"chorus_http_requests_total{route="/apps/:id/events",status="400"} 1"#))
            #expect(text.contains(#"chorus_http_requests_total{route="/up",status="200"} 1"#))
            #expect(text.contains("chorus_api_events_published_total 2"))
            #expect(text.contains("chorus_publish_to_enqueue_seconds_count 1"))
            await http.shutdown()
        }
    }
}
