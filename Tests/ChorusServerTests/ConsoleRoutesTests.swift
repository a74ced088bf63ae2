import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import Testing

@Suite("Console routes: on the metrics listener only, behind the token, publishing through the API")
struct ConsoleRoutesTests {
    static let token = "console-token-0123456789"
    static let bearer = [("Authorization", "Bearer \(token)")]

    static func withConsole<T: Sendable>(_ body: (TestServer) async throws -> T) async throws -> T {
        try await TestServer.with({ $0.consoleToken = token }, body)
    }

    /// Reads the stream until its text contains `needle`; the stream sends its state every second,
    /// so each read returns within about a second while it is open.
    static func read(
        _ connection: inout RawHTTPConnection,
        into text: inout String,
        until needle: String
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !text.contains(needle) {
            try #require(ContinuousClock.now < deadline, "\(needle) did not come in time")
            let chunk = try #require(try await connection.inbound.next(), "the stream closed before \(needle)")
            text += String(buffer: chunk)
        }
    }

    @Test("without console_token, every console path is a 404")
    func off() async throws {
        try await TestServer.with { server in
            let metrics = server.metricsClient()
            for path in ["/console", "/console/console.js", "/console/apps", "/console/apps/1/stream"] {
                let response = try await metrics.request(method: .GET, path: path, signing: .none, headers: Self.bearer)
                #expect(response.status == .notFound, "\(path)")
            }
        }
    }

    @Test("the page and its assets come from the binary, on the metrics listener; 404 on the public port")
    func page() async throws {
        try await Self.withConsole { server in
            let metrics = server.metricsClient()
            let page = try await metrics.request(method: .GET, path: "/console", signing: .none)
            #expect(page.status == .ok)
            #expect(page.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
            #expect(page.bodyText.contains("/console/console.js"))
            let script = try await metrics.request(method: .GET, path: "/console/console.js", signing: .none)
            #expect(script.status == .ok)
            #expect(script.bodyText.contains("EventSource"))
            let styles = try await metrics.request(method: .GET, path: "/console/console.css", signing: .none)
            #expect(styles.status == .ok)
            for path in ["/console", "/console/apps", "/console/apps/1/stream"] {
                let response = try await server.httpClient()
                    .request(method: .GET, path: path, signing: .none, headers: Self.bearer)
                #expect(response.status == .notFound, "\(path)")
            }
        }
    }

    @Test("every feed and action refuses a missing or wrong token with 401 console_unauthorized")
    func refusals() async throws {
        try await Self.withConsole { server in
            let metrics = server.metricsClient()
            let routes: [(HTTPMethod, String)] = [
                (.POST, "/console/session"), (.GET, "/console/apps"), (.GET, "/console/apps/1/stream"),
                (.POST, "/console/apps/1/events"),
            ]
            let wrong: [[(String, String)]] = [
                [], [("Authorization", "Bearer wrong")], [("Authorization", "Bearer \(Self.token)0")],
                [("Cookie", "\(ConsoleAccess.cookieName)=forged")],
            ]
            for (method, path) in routes {
                for headers in wrong {
                    let response = try await metrics.request(
                        method: method,
                        path: path,
                        body: Array(#"{"name":"e","channel":"c","data":"d"}"#.utf8),
                        signing: .none,
                        headers: headers
                    )
                    #expect(response.status == .unauthorized, "\(path) \(headers)")
                    #expect(response.errorCode == "console_unauthorized")
                }
            }
            let apps = try await metrics.request(
                method: .GET,
                path: "/console/apps",
                signing: .none,
                headers: Self.bearer
            )
            #expect(apps.status == .ok)
            #expect(try apps.json()["apps"]?.arrayValue?.first?["id"]?.stringValue == server.app.id)
            #expect(!apps.bodyText.contains(server.app.secret))
        }
    }

    @Test("a session cookie opens the stream; the trigger form's event reaches a subscriber and the log")
    func triggerAndStream() async throws {
        try await Self.withConsole { server in
            let socket = try await server.connect()
            try await socket.subscribe(channel: "console-test")
            try await socket.expect("pusher_internal:subscription_succeeded")
            let metrics = server.metricsClient()
            let session = try await metrics.request(
                method: .POST,
                path: "/console/session",
                signing: .none,
                headers: Self.bearer
            )
            #expect(session.status == .ok)
            let cookie = try #require(session.headers.first(name: "Set-Cookie")?.split(separator: ";").first)
            try await RawHTTPConnection.with(port: server.server.metricsPort) { stream in
                try await stream.send(
                    "GET /console/apps/1/stream HTTP/1.1\r\nHost: chorus\r\nCookie: \(cookie)\r\n\r\n"
                )
                var text = ""
                try await Self.read(&stream, into: &text, until: "event: state")
                #expect(text.hasPrefix("HTTP/1.1 200"))
                #expect(text.lowercased().contains("content-type: text/event-stream"))
                #expect(text.contains(#""name":"console-test","subscription_count":1"#))
                let event: JSONValue = ["name": "hello", "channel": "console-test", "data": #"{"a":1}"#]
                let response = try await metrics.request(
                    method: .POST,
                    path: "/console/apps/1/events",
                    body: Array(event.jsonText.utf8),
                    signing: .none,
                    headers: Self.bearer
                )
                #expect(response.status == .ok)
                let message = try await socket.expect("hello", channel: "console-test")
                #expect(message.dataText == #"{"a":1}"#)
                try await Self.read(&stream, into: &text, until: #""kind":"console""#)
                #expect(text.contains(#""event":"hello""#))
            }
            let invalid = try await metrics.request(
                method: .POST,
                path: "/console/apps/1/events",
                body: Array(#"{"name":"e","channel":"bad channel!","data":"d"}"#.utf8),
                signing: .none,
                headers: Self.bearer
            )
            #expect(invalid.status == .badRequest)
        }
    }
}
