import NIOCore
import NIOEmbedded
import NIOHTTP1

@testable import ChorusServer

/// A connection with Chorus's HTTP pipeline on a manual clock, answering every request 200.
struct HTTPPipelineConnection {
    let channel = EmbeddedChannel()
    let clock = ManualClock()
    let metrics = ServerMetrics()

    init(
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

    func send(_ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
    }

    func advance(by amount: TimeAmount) {
        clock.advance(by: amount)
        channel.embeddedEventLoop.run()
    }

    /// Everything the server wrote so far.
    func written() throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }
}
