import NIOCore
import NIOHTTP1

/// Answers the requests of the metrics listener (`metrics_host`:`metrics_port`, apart from the
/// public port so that only who reaches that address reads app and channel figures):
/// `GET /metrics` in the Prometheus text format and `GET /up`; 404 for anything else.
struct MetricsResponder: Sendable {
    let metrics: ServerMetrics

    func respond(to request: HTTPRequest) -> HTTPResponse {
        switch (request.head.method, request.path) {
        case (.GET, "/metrics"):
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; version=0.0.4")
            return HTTPResponse(status: .ok, headers: headers, body: ByteBuffer(bytes: metrics.render()))
        case (.GET, "/up"), (.HEAD, "/up"):
            return .json(.ok, #"{"ok":true}"#)
        default:
            return APIError.notFound("The metrics listener serves GET /metrics and GET /up only").response
        }
    }
}
