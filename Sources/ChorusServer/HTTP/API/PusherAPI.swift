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

    func respond(to request: HTTPRequest, match: APIRoute.Match) -> HTTPResponse {
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
            var response = try serve(match.route, call)
            response.headers.add(contentsOf: rateLimitHeaders)
            return response
        } catch {
            var response = error.response
            response.headers.add(contentsOf: rateLimitHeaders)
            return response
        }
    }

    /// An authenticated request, ready for its route.
    struct Call {
        var app: AppConfiguration
        var body: [UInt8]
        /// The query parameters, auth ones included.
        var query: [(String, String)]
        var receivedAt: NIODeadline

        func parameter(_ name: String) -> String? {
            query.first { $0.0 == name }?.1
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

    private func serve(_ route: APIRoute, _ call: Call) throws(APIError) -> HTTPResponse {
        switch route {
        case .events: try publishEvent(call)
        case .batchEvents: try publishBatch(call)
        case .channels: try listChannels(call)
        case .channel(let name): try describeChannel(name, call)
        case .channelUsers(let name): try listUsers(name, call)
        case .terminateConnections(let userID): try terminateConnections(userID: userID, call)
        case .auth: try authorize(call)
        }
    }
}
