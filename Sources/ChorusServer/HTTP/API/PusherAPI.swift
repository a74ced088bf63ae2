import ChorusProtocol
import Foundation
import NIOCore
import NIOHTTP1

/// The signed HTTP API: authenticates a request, applies the app's switch and rate limit, and
/// hands it to the route that serves it. Every refusal is an ``APIError``; only a fault of the
/// server itself would be a 5xx.
struct PusherAPI: Sendable {
    let server: ServerContext
    /// Seconds since 1970, for `auth_timestamp`.
    var wallClock: @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }

    func respond(to request: HTTPRequest, match: APIRoute.Match) -> HTTPReply {
        var rateLimitHeaders = HTTPHeaders()
        do throws(APIError) {
            if let appID = match.appID, server.apps.app(id: appID) == nil {
                throw .notFound("Unknown app \(appID)", code: "unknown_app")
            }
            let body = Array(request.body.readableBytesView)
            let query = QueryString.parse(request.rawQuery)
            let credentials = RequestAuthenticator.Credentials(
                method: request.head.method.rawValue,
                path: String(request.path),
                query: query,
                headers: request.head.headers,
                body: body
            )
            let app = try RequestAuthenticator(apps: server.apps)
                .authenticate(credentials, pathAppID: match.appID, now: wallClock())
            guard app.enabled else { throw .appDisabled }
            if let decision = server.rateLimiter.acquire(
                appID: app.id,
                limit: app.maxAPIRequestsPerWindow,
                windowSeconds: app.apiRateLimitWindowSeconds,
                now: .now()
            ) {
                rateLimitHeaders = decision.headers
                guard decision.allowed else { throw .rateLimited }
            }
            let call = Call(app: app, body: body, query: query, receivedAt: request.receivedAt)
            return try serve(match.route, call).adding(headers: rateLimitHeaders)
        } catch {
            var response = error.response
            response.headers.add(contentsOf: rateLimitHeaders)
            return .now(response)
        }
    }

    /// An authenticated request, ready for its route.
    struct Call {
        var app: AppConfiguration
        var body: [UInt8]
        /// The query parameters, auth ones included.
        var query: [(String, String)]
        var receivedAt: NIODeadline
        /// Sent by the debug console's trigger form (``ConsoleResponder``), which the console
        /// labels apart from the API's own calls.
        var viaConsole = false

        func parameter(_ name: String) -> String? {
            query.first { $0.0 == name }?.1
        }

        /// The body parsed as JSON, `{}` when there is none; a 400 when it is not JSON.
        func jsonOrEmptyObject() throws(APIError) -> JSONValue {
            body.isEmpty ? [:] : try json()
        }

        /// The body parsed as JSON; a 400 when it is not JSON.
        func json() throws(APIError) -> JSONValue {
            do {
                return try JSONValue(parsing: body)
            } catch {
                throw .badRequest("The request body is not valid JSON", code: "invalid_json")
            }
        }
    }

    private func serve(_ route: APIRoute, _ call: Call) throws(APIError) -> HTTPReply {
        switch route {
        case .events: try publishEvent(call)
        case .batchEvents: try publishBatch(call)
        case .channels: .now(try listChannels(call))
        case .channel(let name): .now(try describeChannel(name, call))
        case .channelUsers(let name): .now(try listUsers(name, call))
        case .terminateConnections(let userID): .now(try terminateConnections(userID: userID, call))
        case .auth: .now(try authorize(call))
        case .history(let channel): try history(channel, call)
        case .message(let channel, let serial): try message(serial, channel: channel, call)
        case .versions(let channel, let serial): try versions(serial, channel: channel, call)
        case .mutate(let channel, let serial, let action): try mutate(serial, channel: channel, action: action, call)
        case .annotate(let channel, let serial): try annotate(serial, channel: channel, call)
        case .annotations(let channel, let serial): try listAnnotations(serial, channel: channel, call)
        case .deleteAnnotation(let channel, let serial, let annotation):
            try deleteAnnotation(annotation, of: serial, channel: channel, call)
        case .push(let route): try push(route, call)
        }
    }
}
