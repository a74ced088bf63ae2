import NIOCore
import NIOHTTP1

extension HTTPResponse {
    /// Writes the response to `context` as head, body and end, and flushes. The head carries the
    /// body's `Content-Length`, and `Connection: close` when the connection will not be kept.
    /// The future completes once the end is written.
    func write(version: HTTPVersion, keepAlive: Bool, to context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: version, status: status, headers: headers)
        context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
        if body.readableBytes > 0 {
            context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(body))), promise: nil)
        }
        return context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)))
    }
}
