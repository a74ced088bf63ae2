import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import ChorusServer

@Suite("HTTP connection back-pressure for publishers")
struct HTTPServerHandlerTests {
    /// Counts the `read` requests that reach the head of the pipeline.
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = Any
        var reads = 0

        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    static func request() -> [HTTPServerRequestPart] {
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/apps/1/events")
        return [.head(head), .end(nil)]
    }

    @Test("after a publish the response leaves at once, and the next request is read only after the fan-out ran")
    func holdsReadsUntilFanOut() throws {
        let channel = EmbeddedChannel()
        let fanOut = channel.eventLoop.makePromise(of: Void.self)
        let counter = ReadCounter()
        let handler = HTTPServerHandler(maxBodyBytes: 1024, fanOutDone: { _ in fanOut.futureResult }) { _ in
            var response = HTTPResponse.json(.ok, "{}")
            response.awaitsFanOut = true
            return response
        }
        try channel.pipeline.syncOperations.addHandlers([counter, handler])
        for part in Self.request() { try channel.writeInbound(part) }
        channel.embeddedEventLoop.run()

        guard case .head(let head) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("expected the response head before the fan-out completed")
            return
        }
        #expect(head.status == .ok)
        #expect(counter.reads == 0)

        fanOut.succeed()
        channel.embeddedEventLoop.run()
        #expect(counter.reads == 1)
        _ = try channel.finish()
    }

    @Test("a response that published nothing does not hold reads")
    func noHoldWithoutPublish() throws {
        let channel = EmbeddedChannel()
        let counter = ReadCounter()
        let handler = HTTPServerHandler(
            maxBodyBytes: 1024,
            fanOutDone: { loop in
                Issue.record("fan-out awaited for a request that published nothing")
                return loop.makeSucceededVoidFuture()
            },
            respond: { _ in .json(.ok, "{}") }
        )
        try channel.pipeline.syncOperations.addHandlers([counter, handler])
        for part in Self.request() { try channel.writeInbound(part) }
        channel.embeddedEventLoop.run()
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) != nil)
        #expect(counter.reads == 0)
        _ = try channel.finish()
    }
}
