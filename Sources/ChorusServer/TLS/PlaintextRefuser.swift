package import NIOCore
import NIOHTTP1

/// The first handler of a TLS connection: it looks at the first byte the client sends. A TLS
/// handshake starts with a handshake record (content type 22, `0x16`); the handler then removes
/// itself and TLS goes on. Anything else is a plain-text client (`http://` or `ws://` on a TLS
/// port): it gets `400` with a JSON error saying to use `https://` or `wss://`, written in clear,
/// and the connection is closed, instead of a TLS error the client cannot read.
package final class PlaintextRefuser: ChannelInboundHandler, RemovableChannelHandler {
    package typealias InboundIn = ByteBuffer
    package typealias OutboundOut = ByteBuffer

    /// The first byte of a TLS handshake record.
    private static let handshakeRecord: UInt8 = 0x16

    /// The refusal's JSON error.
    package static let refusal = APIError.badRequest(
        "This port speaks TLS only: connect with https:// or wss://",
        code: "tls_required"
    )

    private var refused = false

    package init() {}

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // After the refusal, whatever else the client sends is dropped until it closes.
        guard !refused else { return }
        let bytes = unwrapInboundIn(data)
        guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) else { return }
        if first == Self.handshakeRecord {
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        refused = true
        // Closing only our side (once the answer is written; from here, so the TLS handler behind
        // does not see the close) lets the client read the answer before its unread request bytes
        // could turn the close into a reset; the HTTP timeouts close a client that never closes.
        context.writeAndFlush(wrapOutboundOut(Self.refusalBytes(allocator: context.channel.allocator)), promise: nil)
        context.close(mode: .output, promise: nil)
    }

    /// ``refusal`` as HTTP/1.1 bytes, `Connection: close`.
    private static func refusalBytes(allocator: ByteBufferAllocator) -> ByteBuffer {
        let response = refusal.response
        var head = "HTTP/1.1 \(response.status.code) \(response.status.reasonPhrase)\r\n"
        for (name, value) in response.headers { head += "\(name): \(value)\r\n" }
        head += "Content-Length: \(response.body.readableBytes)\r\nConnection: close\r\n\r\n"
        var buffer = allocator.buffer(capacity: head.utf8.count + response.body.readableBytes)
        buffer.writeString(head)
        buffer.writeImmutableBuffer(response.body)
        return buffer
    }
}

@available(*, unavailable)
extension PlaintextRefuser: Sendable {}
