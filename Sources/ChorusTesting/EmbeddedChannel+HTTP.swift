package import NIOCore
package import NIOEmbedded
package import NIOHTTP1

extension EmbeddedChannel {
    /// Hands a whole request (head, body, end) to the pipeline as the HTTP decoder would, then runs
    /// the loop so that what it triggered has happened.
    package func writeRequest(_ method: HTTPMethod, _ uri: String, body: ByteBuffer? = nil) throws {
        try writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: method, uri: uri)))
        if let body { try writeInbound(HTTPServerRequestPart.body(body)) }
        try writeInbound(HTTPServerRequestPart.end(nil))
        embeddedEventLoop.run()
    }

    /// The response parts written out so far, oldest first.
    package func readResponseParts() throws -> [HTTPServerResponsePart] {
        var parts: [HTTPServerResponsePart] = []
        while let part = try readOutbound(as: HTTPServerResponsePart.self) { parts.append(part) }
        return parts
    }
}

/// Counts the `read` requests that reach the head of a pipeline: how a test sees whether a handler
/// holds back reading (back-pressure) or lets the next request in.
package final class ReadCounter: ChannelOutboundHandler {
    package typealias OutboundIn = Any
    package private(set) var reads = 0

    package init() {}

    package func read(context: ChannelHandlerContext) {
        reads += 1
        context.read()
    }
}

@available(*, unavailable)
extension ReadCounter: Sendable {}
