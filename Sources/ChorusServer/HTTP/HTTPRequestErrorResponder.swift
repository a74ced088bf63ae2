package import NIOCore
package import NIOHTTP1

/// Answers what cannot be served as a request with an ``APIError`` JSON response, then closes the
/// connection: bytes that are not HTTP/1.1 (400 `malformed_request`), a head over
/// ``HTTPHeadLimits`` (431 `header_fields_too_large`) and a request that did not arrive in time
/// (408 `request_timeout`, on ``HTTPTimeoutHandler/RequestTimedOut``).
///
/// Each answer is counted in `chorus_http_requests_total` under the route `unparsed`.
///
/// It sits right after the HTTP decoder, ahead of NIO's pipelining handler, which accepts a
/// response only to a request head it has seen: a head that never completed gets its answer here.
package final class HTTPRequestErrorResponder: ChannelInboundHandler, RemovableChannelHandler {
    package typealias InboundIn = HTTPServerRequestPart

    /// The route label of requests answered here: they never reached the router.
    package static let metricsRoute = "unparsed"

    private let metrics: ServerMetrics
    /// Once answered, the connection is closing: later errors of the same bytes are not answered again.
    private var answered = false

    package init(metrics: ServerMetrics) {
        self.metrics = metrics
    }

    package func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parserError = error as? HTTPParserError {
            answer(Self.refusal(of: parserError), context: context)
        } else if !answered {
            context.fireErrorCaught(error)
        }
    }

    package func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is HTTPTimeoutHandler.RequestTimedOut else {
            return context.fireUserInboundEventTriggered(event)
        }
        // Already answered and still open: the client does not read the answer. Time is up.
        guard !answered else { return context.close(promise: nil) }
        answer(.requestTimeout, context: context)
    }

    private func answer(_ error: APIError, context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        metrics.recordHTTPRequest(route: Self.metricsRoute, status: error.status)
        error.response.write(version: .http1_1, keepAlive: false, to: context).whenComplete {
            [channel = context.channel] _ in channel.close(promise: nil)
        }
    }

    /// The answer to a request the decoder could not parse.
    package static func refusal(of error: HTTPParserError) -> APIError {
        switch error {
        case .headerOverflow:
            APIError(
                status: .requestHeaderFieldsTooLarge,
                code: "header_fields_too_large",
                message: "The request head is over \(HTTPHeadLimits.maxHeadBytes) bytes or "
                    + "\(HTTPHeadLimits.maxHeaderFields) header fields"
            )
        default:
            .badRequest("The request is not valid HTTP/1.1 (\(error))", code: "malformed_request")
        }
    }
}

@available(*, unavailable)
extension HTTPRequestErrorResponder: Sendable {}
