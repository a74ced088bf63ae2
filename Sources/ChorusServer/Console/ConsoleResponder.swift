import ChorusProtocol
import NIOCore
import NIOHTTP1
import Synchronization

/// Answers the console's requests on the metrics listener, except an admitted event stream, which
/// ``ConsoleStreamHandler`` serves. The page itself is open; everything it reads or does needs the
/// token (``ConsoleAccess``): a wrong one gets 401 `console_unauthorized`.
struct ConsoleResponder: Sendable {
    let server: ServerContext
    let access: ConsoleAccess

    func respond(to request: HTTPRequest) -> HTTPReply {
        guard let route = ConsoleRoute(path: request.path) else {
            return .now(APIError.notFound("No console route for \(request.path)").response)
        }
        let method = request.head.method
        switch (method, route) {
        case (.GET, .page): return .now(ConsoleAssets.response(.page))
        case (.GET, .asset(let asset)): return .now(ConsoleAssets.response(asset))
        case (.POST, .session), (.GET, .apps), (.POST, .events):
            guard access.admitsBearer(request.head.headers) else { return .now(ConsoleAccess.refusal.response) }
            return serve(route, request)
        case (.GET, .stream(let appID)):
            // Admitted streams never reach here (``ConsoleStreamHandler`` takes them).
            guard access.admitsStream(request.head.headers) else { return .now(ConsoleAccess.refusal.response) }
            return .now(APIError.notFound("Unknown app \(appID)", code: "unknown_app").response)
        default:
            return .now(
                APIError(
                    status: .methodNotAllowed,
                    code: "method_not_allowed",
                    message: "\(method.rawValue) is not served at \(request.path)"
                ).response
            )
        }
    }

    private func serve(_ route: ConsoleRoute, _ request: HTTPRequest) -> HTTPReply {
        switch route {
        case .session:
            var headers = HTTPHeaders()
            headers.add(name: "Set-Cookie", value: access.openSession())
            let seconds = ConsoleSessions.lifetime.nanoseconds / 1_000_000_000
            return .now(.json(.ok, JSONValue.object(["expires_in": .integer(seconds)]).jsonText, headers: headers))
        case .apps:
            let apps: [JSONValue] = server.apps.all.sorted { $0.id < $1.id }.map { app in
                ["id": .string(app.id), "key": .string(app.key), "enabled": .bool(app.enabled)]
            }
            return .now(.json(.ok, JSONValue.object(["apps": .array(apps)]).jsonText))
        case .events(let appID):
            return trigger(request, appID: appID)
        case .page, .asset, .stream:
            return .now(APIError.notFound("No console route for \(request.path)").response)
        }
    }

    /// Publishes the event of the trigger form (the API's event body) through the HTTP API's own
    /// path: validation, quota, history and the cluster relay alike. The page never sees the secret.
    private func trigger(_ request: HTTPRequest, appID: String) -> HTTPReply {
        guard !server.draining.load(ordering: .acquiring) else { return .now(APIError.shuttingDown.response) }
        guard let app = server.apps.app(id: appID) else {
            return .now(APIError.notFound("Unknown app \(appID)", code: "unknown_app").response)
        }
        guard app.enabled else { return .now(APIError.appDisabled.response) }
        let call = PusherAPI.Call(
            app: app,
            body: Array(request.body.readableBytesView),
            query: [],
            receivedAt: request.receivedAt,
            viaConsole: true
        )
        do {
            switch try PusherAPI(server: server).publishEvent(call) {
            case .now(let response): return .now(response)
            case .later(let work): return .later(server.pendingReplies.tracking(work))
            }
        } catch {
            return .now(error.response)
        }
    }
}
