package import ChorusProtocol
package import ChorusServer
import Logging
import NIOCore
package import NIOHTTP1
import NIOPosix

/// The HTTP side of a Chorus server in memory: each request goes straight to the server's router,
/// with no socket, connection or HTTP parsing in between. For tests of routes, signing and status
/// codes; ``TestServer`` runs the same server over real sockets.
///
/// ```swift
/// try await TestRouter.with { router in
///     let response = router.executeSigned(.GET, "/apps/1/channels")
///     #expect(response.status == .ok)
/// }
/// ```
package struct TestRouter: Sendable {
    package let router: HTTPRouter
    package let configuration: ServerConfiguration

    /// The first configured app (the default one unless the test changed it).
    package var app: AppConfiguration { configuration.apps[0] }

    /// Runs `body` against fresh server state built from the embedded default configuration as
    /// `configure` changes it, with history off for the default app (history replies wait for the
    /// store: test them with ``TestServer``).
    package static func with<T: Sendable>(
        _ configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: (TestRouter) async throws -> T
    ) async throws -> T {
        var configuration = ServerConfiguration.embeddedDefault
        configuration.storage = .memory
        configuration.apps[0].history.enabled = false
        configure(&configuration)
        var logger = Logger(label: "chorus-test-router")
        logger.logLevel = .warning
        let router = try await HTTPRouter.detached(
            configuration: configuration,
            eventLoops: [MultiThreadedEventLoopGroup.singleton.next()],
            logger: logger
        )
        return try await body(TestRouter(router: router, configuration: configuration))
    }

    /// Serves one request for `uri` (path and query) as it would arrive on a connection.
    package func execute(
        _ method: HTTPMethod,
        _ uri: String,
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = []
    ) -> HTTPResponse {
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers)
        switch router.respond(to: HTTPRequest(head: head, body: ByteBuffer(bytes: body))) {
        case .now(let response):
            return response
        case .later:
            preconditionFailure("\(method) \(uri) waits for the history store: test it with TestServer")
        }
    }

    /// Serves one request to `path` signed as the backend of `app` (default: the first app) signs it.
    package func executeSigned(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        body: [UInt8] = [],
        app: AppConfiguration? = nil
    ) -> HTTPResponse {
        let app = app ?? self.app
        let signer = RequestSigner(key: app.key, secret: app.secret)
        let target = signer.signedTarget(method: method.rawValue, path: path, body: body, extra: query)
        var headers = HTTPHeaders()
        if !body.isEmpty { headers.add(name: "Content-Type", value: "application/json") }
        return execute(method, target, headers: headers, body: body)
    }
}

extension HTTPResponse {
    /// The body as text.
    package var text: String { String(buffer: body) }

    /// The body parsed as JSON.
    package func json() throws -> JSONValue { try JSONValue(parsing: text) }
}
