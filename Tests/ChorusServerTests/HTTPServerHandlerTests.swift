import ChorusServer
import ChorusTesting
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@Suite("HTTP connection back-pressure for publishers")
struct HTTPServerHandlerTests {
    @Test("after a publish the response leaves at once, and the next request is read only after the fan-out ran")
    func holdsReadsUntilFanOut() throws {
        let channel = EmbeddedChannel()
        let fanOut = channel.eventLoop.makePromise(of: Void.self)
        let counter = ReadCounter()
        let handler = makeHTTPServerHandler(maxBodyBytes: 1024, fanOutDone: { _ in fanOut.futureResult }) { _ in
            var response = HTTPResponse.json(.ok, "{}")
            response.awaitsFanOut = true
            return response
        }
        try channel.pipeline.syncOperations.addHandlers([counter, handler])
        try channel.writeRequest(.POST, "/apps/1/events")

        guard case .head(let head) = try channel.readResponseParts().first else {
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
        let handler = makeHTTPServerHandler(
            maxBodyBytes: 1024,
            fanOutDone: { loop in
                Issue.record("fan-out awaited for a request that published nothing")
                return loop.makeSucceededVoidFuture()
            },
            respond: { _ in .json(.ok, "{}") }
        )
        try channel.pipeline.syncOperations.addHandlers([counter, handler])
        try channel.writeRequest(.POST, "/apps/1/events")
        #expect(try !channel.readResponseParts().isEmpty)
        #expect(counter.reads == 0)
        _ = try channel.finish()
    }
}
