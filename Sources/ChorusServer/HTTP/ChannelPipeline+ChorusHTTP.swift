import NIOCore
import NIOHTTP1

extension ChannelPipeline.SynchronousOperations {
    /// Sets up a connection's HTTP/1.1 side: NIO's codec within ``HTTPHeadLimits`` and its
    /// pipelining and upgrade handlers, ``HTTPTimeoutHandler`` first (it must see every byte),
    /// ``HTTPRequestErrorResponder`` right after the decoder, and `handler` last. Once a WebSocket
    /// upgrade completes, the three Chorus handlers are removed.
    func configureChorusHTTP(
        handler: HTTPServerHandler,
        timeouts: HTTPTimeouts,
        clock: any ServerClock,
        upgraders: [any HTTPServerProtocolUpgrader] = []
    ) throws {
        let names = ["chorus-http", "chorus-http-errors", "chorus-http-timeout"]
        let removeChorusHandlers: @Sendable (ChannelHandlerContext) -> Void = { context in
            for name in names { context.pipeline.syncOperations.removeHandler(name: name, promise: nil) }
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
        try addHandler(HTTPRequestErrorResponder(), name: names[1], position: .after(decoder))
        try addHandler(HTTPTimeoutHandler(timeouts: timeouts, clock: clock), name: names[2], position: .first)
        try addHandler(handler, name: names[0])
    }
}
