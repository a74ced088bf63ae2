import ChorusServer
import ChorusTesting
import NIOCore
import NIOEmbedded
import Testing

@Suite("HTTP requests that cannot be served: answered 400 or 431 with an APIError body, then closed")
struct HTTPRequestErrorResponderTests {
    @Test("bytes that are not HTTP are answered 400 malformed_request once, and the connection closed")
    func malformedRequest() throws {
        for garbage in ["\u{1}garbage\r\n\r\n", "GET /up\r\n\r\n", "FOO /up HTTP/1.1\r\nHost: x\r\n\r\n"] {
            let connection = try HTTPPipelineConnection()
            try? connection.send(garbage)
            try? connection.send("GET /up HTTP/1.1\r\n\r\n")
            let answer = try connection.written()
            #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(garbage)")
            #expect(answer.contains(#""code":"malformed_request""#))
            #expect(answer.ranges(of: "HTTP/1.1 400").count == 1, "answered once: \(answer)")
            let metrics = String(decoding: connection.metrics.render(), as: UTF8.self)
            #expect(metrics.contains(#"chorus_http_requests_total{route="unparsed",status="400"} 1"#))
            #expect(!connection.channel.isActive)
        }
    }

    @Test("a head over the field count or size limits is answered 431 header_fields_too_large")
    func headTooLarge() throws {
        let floods = [
            (0...HTTPHeadLimits.maxHeaderFields).map { "X-\($0): a\r\n" }.joined(),
            "X-Big: " + String(repeating: "a", count: HTTPHeadLimits.maxHeadBytes) + "\r\n",
        ]
        for flood in floods {
            let connection = try HTTPPipelineConnection()
            try? connection.send("GET /up HTTP/1.1\r\n" + flood + "\r\n")
            let answer = try connection.written()
            #expect(answer.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
            #expect(answer.contains(#""code":"header_fields_too_large""#))
            #expect(!connection.channel.isActive)
        }
    }

    /// Takes every write and never completes it: a client that does not read.
    final class StalledWrites: ChannelOutboundHandler {
        typealias OutboundIn = Any
        var pending: [EventLoopPromise<Void>] = []

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if let promise { pending.append(promise) }
        }

        func flush(context: ChannelHandlerContext) {}
    }

    @Test("an answer the client never reads does not hold the connection past the header timeout")
    func unreadAnswerClosedByTimeout() throws {
        let connection = try HTTPPipelineConnection()
        try connection.channel.pipeline.syncOperations.addHandler(StalledWrites(), position: .first)
        try? connection.send("FOO /up HTTP/1.1\r\n\r\n")
        #expect(connection.channel.isActive)
        connection.advance(by: .seconds(10))
        #expect(!connection.channel.isActive)
    }
}
