package import NIOCore
package import NIOHTTP1

extension ChannelPipeline.SynchronousOperations {
    /// Sets up a connection's HTTP/1.1 side: NIO's codec within ``HTTPHeadLimits`` and its
    /// pipelining and upgrade handlers, ``HTTPTimeoutHandler`` first (it must see every byte),
    /// ``HTTPRequestErrorResponder`` right after the decoder, and `handler` last. Once a WebSocket
    /// upgrade completes, the three Chorus handlers are removed.
    package func configureChorusHTTP(
        handler: HTTPServerHandler,
        timeouts: HTTPTimeouts,
        clock: any ServerClock,
        metrics: ServerMetrics,
        upgraders: [any HTTPServerProtocolUpgrader] = []
    ) throws {
        let removeChorusHandlers: @Sendable (ChannelHandlerContext) -> Void = { context in
            for name in ChorusHTTPHandler.allCases {
                context.pipeline.syncOperations.removeHandler(name: name.rawValue, promise: nil)
            }
        }
        let upgrade: NIOHTTPServerUpgradeConfiguration? =
            upgraders.isEmpty ? nil : (upgraders: upgraders, completionHandler: removeChorusHandlers)
        try configureHTTPServerPipeline(
            withServerUpgrade: upgrade,
            withErrorHandling: false,
            withEncoderConfiguration: HTTPResponseEncoder.Configuration(),
            withDecoderLimitConfiguration: HTTPHeadLimits.decoderConfiguration
        )
        let decoder = try self.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
        let timeoutHandler = HTTPTimeoutHandler(timeouts: timeouts, clock: clock)
        try addHandler(
            HTTPRequestErrorResponder(metrics: metrics),
            name: ChorusHTTPHandler.errors.rawValue,
            position: .after(decoder)
        )
        try addHandler(timeoutHandler, name: ChorusHTTPHandler.timeout.rawValue, position: .first)
        try addHandler(handler, name: ChorusHTTPHandler.requests.rawValue)
    }
}

/// The names of the handlers Chorus adds to NIO's HTTP pipeline (and removes on upgrade).
package enum ChorusHTTPHandler: String, CaseIterable {
    case timeout = "chorus-http-timeout"
    case errors = "chorus-http-errors"
    case requests = "chorus-http"
}
