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
        let handler = HTTPServerHandler(maxBodyBytes: 1024, fanOutDone: { _ in fanOut.futureResult }) { _ in
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
        let handler = HTTPServerHandler(
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

    @Test("a body announced over the cap is refused with APIError's 413 body, and the connection closes")
    func oversizedBodyRefused() throws {
        let channel = EmbeddedChannel()
        let handler = HTTPServerHandler(
            maxBodyBytes: 1024,
            fanOutDone: { $0.makeSucceededVoidFuture() },
            respond: { _ in
                Issue.record("an oversized request reached the router")
                return .json(.ok, "{}")
            }
        )
        try channel.pipeline.syncOperations.addHandler(handler)
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/apps/1/events")
        head.headers.add(name: "Content-Length", value: "1025")
        try channel.writeInbound(HTTPServerRequestPart.head(head))
        channel.embeddedEventLoop.run()

        guard case .head(let responseHead) = try channel.readOutbound(as: HTTPServerResponsePart.self),
            case .body(.byteBuffer(let body)) = try channel.readOutbound(as: HTTPServerResponsePart.self)
        else {
            Issue.record("expected a response head and body")
            return
        }
        let expected = APIError.payloadTooLarge("Request body is larger than 1024 bytes").response
        #expect(responseHead.status == .payloadTooLarge)
        #expect(responseHead.headers["Connection"] == ["close"])
        #expect(responseHead.headers["Content-Type"] == ["application/json"])
        #expect(body == expected.body)
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == .end(nil))
        #expect(!channel.isActive)
    }

    @Test("a request that arrives while the client is not reading is answered once the connection is writable")
    func waitsForWritability() throws {
        let channel = EmbeddedChannel()
        let handler = HTTPServerHandler(maxBodyBytes: 1024, fanOutDone: { $0.makeSucceededVoidFuture() }) { _ in
            .json(.ok, "{}")
        }
        try channel.pipeline.syncOperations.addHandler(handler)
        channel.isWritable = false
        try channel.writeRequest(.POST, "/apps/1/events")
        #expect(try channel.readOutbound(as: HTTPServerResponsePart.self) == nil)

        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        guard case .head(let head) = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("expected the response once the connection was writable")
            return
        }
        #expect(head.status == .ok)
        _ = try channel.finish()
    }
}
