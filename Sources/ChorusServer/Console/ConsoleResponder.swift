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
        let bearer = access.admitsBearer(request.head.headers)
        switch (method, route) {
        case (.GET, .page):
            return .now(ConsoleAssets.response(.page))
        case (.GET, .asset(let asset)):
            return .now(ConsoleAssets.response(asset))
        case (.POST, .session), (.GET, .apps), (.POST, .events):
            guard bearer else { return .now(ConsoleAccess.refusal.response) }
            if case .events(let appID) = route { return trigger(request, appID: appID) }
            return .now(route == .session ? session() : apps())
        case (.GET, .stream(let appID)):
            // Admitted streams of known apps never reach here (``ConsoleStreamHandler`` takes them).
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

    /// `POST /console/session`: a session cookie for the event stream.
    private func session() -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Set-Cookie", value: access.openSession())
        let seconds = ConsoleSessions.lifetime.nanoseconds / 1_000_000_000
        return .json(.ok, JSONValue.object(["expires_in": .integer(seconds)]).jsonText, headers: headers)
    }

    /// `GET /console/apps`: every app's id and key (never its secret).
    private func apps() -> HTTPResponse {
        let apps: [JSONValue] = server.apps.all.sorted { $0.id < $1.id }.map { app in
            ["id": .string(app.id), "key": .string(app.key), "enabled": .bool(app.enabled)]
        }
        return .json(.ok, JSONValue.object(["apps": .array(apps)]).jsonText)
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
