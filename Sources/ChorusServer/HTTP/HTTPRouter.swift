import NIOCore
import NIOHTTP1

/// Sends each HTTP request to what serves its path: health, metrics, or the signed Pusher API.
struct HTTPRouter: Sendable {
    let server: ServerContext

    func respond(to request: HTTPRequest) -> HTTPResponse {
        switch (request.head.method, request.path) {
        case (.GET, "/up"), (.HEAD, "/up"):
            return .json(.ok, #"{"ok":true}"#)
        case (.GET, "/metrics"):
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; version=0.0.4")
            return HTTPResponse(status: .ok, headers: headers, body: ByteBuffer(bytes: server.metrics.render()))
        default:
            return .json(.notFound, #"{"error":"No route for \#(request.head.method) \#(request.path)","code":"not_found"}"#)
        }
    }
}
