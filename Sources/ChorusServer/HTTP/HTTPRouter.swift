import ChorusCore
import ChorusStorage
package import Logging
package import NIOCore
import NIOHTTP1
import Synchronization

/// Sends each HTTP request to what serves its path: health or the signed Pusher API (each request
/// to an API route counts against `api_requests_per_ip_per_minute`, ``ClientLimits``), and counts it
/// by route and status. `/metrics` is not served here but on the metrics listener (``MetricsResponder``).
package struct HTTPRouter: Sendable {
    let server: ServerContext

    /// A router over fresh server state for `configuration`, its engine on `eventLoops`, with no
    /// socket bound, no webhooks and history in memory: requests can be served in memory (`ChorusTesting`).
    package static func detached(
        configuration: ServerConfiguration,
        eventLoops: [any EventLoop],
        logger: Logger
    ) async throws -> HTTPRouter {
        let broadcaster = try await Broadcaster(eventLoops: eventLoops, limits: configuration.outboundLimits)
        let context = ServerContext(
            configuration: configuration,
            broadcaster: broadcaster,
            metrics: ServerMetrics(),
            historyStore: MemoryHistoryStore(),
            pushStore: MemoryPushStore(),
            logger: logger
        )
        return HTTPRouter(server: context)
    }

    package func respond(to request: HTTPRequest) -> HTTPReply {
        let (route, reply) = route(request)
        switch reply {
        case .now(let response):
            server.metrics.recordHTTPRequest(route: route, status: response.status)
            return reply
        case .later(let work):
            let metrics = server.metrics
            let work = server.pendingReplies.tracking(work)
            return .later {
                let response = await work()
                metrics.recordHTTPRequest(route: route, status: response.status)
                return response
            }
        }
    }

    private func route(_ request: HTTPRequest) -> (label: String, reply: HTTPReply) {
        let draining = server.draining.load(ordering: .acquiring)
        switch (request.head.method, request.path) {
        case (.GET, "/up"), (.HEAD, "/up"):
            let answer: HTTPResponse =
                if draining { APIError.shuttingDown.response } else if !server.acceptsPublishes {
                    APIError.clusterUnavailable.response
                } else { .json(.ok, #"{"ok":true}"#) }
            return ("/up", .now(answer))
        default:
            break
        }
        switch APIRoute.match(method: request.head.method, path: request.path) {
        case .success(let match) where draining:
            var response = APIError.shuttingDown.response
            response.headers.add(name: "Retry-After", value: "1")
            return (match.route.label, .now(response))
        case .success(let match):
            if let refusal = server.clientLimits.refusal(ofAPIRequest: request, now: server.clock.now()) {
                return (match.route.label, .now(refusal))
            }
            let reply = PusherAPI(server: server).respond(to: request, match: match)
            switch match.route {
            case .events, .batchEvents:
                return (match.route.label, reply.awaitingFanOut())
            default:
                return (match.route.label, reply)
            }
        case .failure(.methodNotAllowed(let allowed)):
            var response = APIError(
                status: .methodNotAllowed,
                code: "method_not_allowed",
                message: "\(request.path) answers \(allowed.map(\.rawValue).joined(separator: ", ")) only"
            ).response
            response.headers.add(name: "Allow", value: allowed.map(\.rawValue).joined(separator: ", "))
            return ("unmatched", .now(response))
        case .failure(.notFound):
            return (
                "unmatched",
                .now(APIError.notFound("No route for \(request.head.method.rawValue) \(request.path)").response)
            )
        }
    }
}
