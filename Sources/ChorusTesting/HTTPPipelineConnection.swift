package import ChorusServer
package import NIOCore
package import NIOEmbedded
package import NIOHTTP1

/// A connection with Chorus's HTTP pipeline on a manual clock, answering every request 200.
package struct HTTPPipelineConnection {
    package let channel = EmbeddedChannel()
    package let clock = ManualClock()
    package let metrics = ServerMetrics()

    package init(
        timeouts: HTTPTimeouts = HTTPTimeouts(header: .seconds(10), body: .seconds(10), idle: .seconds(60)),
        upgraders: [any HTTPServerProtocolUpgrader] = []
    ) throws {
        let handler = HTTPServerHandler(
            maxBodyBytes: 1024,
            fanOutDone: { $0.makeSucceededVoidFuture() },
            respond: { _ in .json(.ok, "{}") }
        )
        try channel.pipeline.syncOperations.configureChorusHTTP(
            handler: handler,
            timeouts: timeouts,
            clock: clock,
            metrics: metrics,
            upgraders: upgraders
        )
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    }

    package func send(_ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
    }

    package func advance(by amount: TimeAmount) {
        clock.advance(by: amount)
        channel.embeddedEventLoop.run()
    }

    /// Everything the server wrote so far.
    package func written() throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }
}
