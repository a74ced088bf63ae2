import NIOCore
import NIOHTTP1

/// Answers the requests of the metrics listener (`metrics_host`:`metrics_port`, apart from the
/// public port so that only who reaches that address reads app and channel figures):
/// `GET /metrics` in the Prometheus text format, `GET /up`, and the debug console under `/console`
/// when `console_token` is set (``ConsoleResponder``); 404 for anything else.
struct MetricsResponder: Sendable {
    let metrics: ServerMetrics
    /// The debug console; `nil` without `console_token`.
    let console: ConsoleResponder?

    func respond(to request: HTTPRequest) -> HTTPReply {
        if let console, request.path == "/console" || request.path.hasPrefix("/console/") {
            return console.respond(to: request)
        }
        switch (request.head.method, request.path) {
        case (.GET, "/metrics"):
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; version=0.0.4")
            return .now(HTTPResponse(status: .ok, headers: headers, body: ByteBuffer(bytes: metrics.render())))
        case (.GET, "/up"), (.HEAD, "/up"):
            return .now(.json(.ok, #"{"ok":true}"#))
        default:
            return .now(APIError.notFound("The metrics listener serves GET /metrics and GET /up only").response)
        }
    }
}
