package import NIOCore
package import NIOWebSocket

/// Reads a client's WebSocket frames from the socket's bytes and passes on whole messages and
/// control frames: the frame decoding, the header rules of RFC 6455 and the joining of fragments
/// in one handler, holding no buffer between reads unless a frame is cut across them (an idle
/// connection keeps nothing here but the handler itself).
///
/// Rules, each a ``WebSocketViolation`` raised once, after which every byte is dropped: control
/// frames final and at most 125 bytes; no frame over `maxMessageBytes`; client frames masked; no
/// reserved opcode; no reserved bit but RSV1 on the first frame of a data message when
/// `permessage-deflate` was negotiated; fragments in order, at most `maxFragments` per message and
/// `maxMessageBytes` in all. A message's RSV1 stays on the frame passed on, for
/// ``WebSocketMessageInflater``.
package final class WebSocketFrameReader: ChannelInboundHandler {
    package typealias InboundIn = ByteBuffer
    package typealias InboundOut = WebSocketFrame

    /// The most frames one message may be split into.
    package static let maxFragments = 256

    private let maxMessageBytes: Int
    private let compressionNegotiated: Bool
    /// The start of a frame cut across reads; `nil` between frames.
    private var partialFrame: ByteBuffer?
    /// The data message being joined from its fragments.
    private var message: (opcode: WebSocketOpcode, rsv1: Bool, data: ByteBuffer, fragments: Int)?
    private var failed = false

    package init(maxMessageBytes: Int, compressionNegotiated: Bool = false) {
        self.maxMessageBytes = maxMessageBytes
        self.compressionNegotiated = compressionNegotiated
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var bytes = unwrapInboundIn(data)
        if var start = partialFrame {
            partialFrame = nil
            start.writeBuffer(&bytes)
            bytes = start
        }
        do throws(WebSocketViolation) {
            while let frame = try nextFrame(from: &bytes) {
                if let whole = try join(frame) { context.fireChannelRead(wrapInboundOut(whole)) }
            }
        } catch {
            failed = true
            message = nil
            context.fireErrorCaught(error)
            return
        }
        if bytes.readableBytes > 0 { partialFrame = bytes }
    }

    /// The next whole frame at the front of `bytes`, consumed; `nil` when it has not all arrived.
    /// Header rules are checked as soon as the header is in, before the payload arrives.
    private func nextFrame(from bytes: inout ByteBuffer) throws(WebSocketViolation) -> WebSocketFrame? {
        let start = bytes.readerIndex
        guard let first = bytes.getInteger(at: start, as: UInt8.self),
            let second = bytes.getInteger(at: start + 1, as: UInt8.self)
        else { return nil }
        var headerLength = 2
        var length = UInt64(second & 0x7F)
        if length == 126 {
            guard let extended = bytes.getInteger(at: start + 2, as: UInt16.self) else { return nil }
            length = UInt64(extended)
            headerLength = 4
        } else if length == 127 {
            guard let extended = bytes.getInteger(at: start + 2, as: UInt64.self) else { return nil }
            length = extended
            headerLength = 10
        }
        let fin = first & 0x80 != 0
        let rsv1 = first & 0x40 != 0
        let opcodeBits = first & 0x0F
        let isControl = opcodeBits & 0x08 != 0
        if isControl && (!fin || length > 125) { throw .invalidControlFrame }
        if length > UInt64(maxMessageBytes) { throw .messageTooLarge }
        guard second & 0x80 != 0 else { throw .unmaskedFrame }
        let startsDataMessage = opcodeBits == 0x1 || opcodeBits == 0x2
        if first & 0x30 != 0 || (rsv1 && !(compressionNegotiated && startsDataMessage)) { throw .reservedBitsSet }
        guard let opcode = WebSocketOpcode(encodedWebSocketOpcode: opcodeBits), Self.isDefined(opcode) else {
            throw .reservedOpcode
        }
        let payloadLength = Int(length)
        guard bytes.readableBytes >= headerLength + 4 + payloadLength,
            let maskKey = bytes.getBytes(at: start + headerLength, length: 4).flatMap(WebSocketMaskingKey.init),
            let payload = bytes.getSlice(at: start + headerLength + 4, length: payloadLength)
        else { return nil }
        bytes.moveReaderIndex(forwardBy: headerLength + 4 + payloadLength)
        return WebSocketFrame(fin: fin, rsv1: rsv1, opcode: opcode, maskKey: maskKey, data: payload)
    }

    private static func isDefined(_ opcode: WebSocketOpcode) -> Bool {
        switch opcode {
        case .continuation, .text, .binary, .connectionClose, .ping, .pong: true
        default: false
        }
    }

    /// What `frame` makes ready to pass on: a control frame at once (they may come between
    /// fragments), a data message once its final frame is in.
    private func join(_ frame: WebSocketFrame) throws(WebSocketViolation) -> WebSocketFrame? {
        switch frame.opcode {
        case .text, .binary:
            guard message == nil else { throw .badFragmentSequence }
            if frame.fin { return frame }
            message = (frame.opcode, frame.rsv1, frame.unmaskedData, 1)
            return nil
        case .continuation:
            guard var joined = message else { throw .badFragmentSequence }
            message = nil  // so the joined bytes grow in place, not into a copy
            var piece = frame.unmaskedData
            joined.fragments += 1
            guard joined.fragments <= Self.maxFragments else { throw .messageTooLarge }
            guard joined.data.readableBytes + piece.readableBytes <= maxMessageBytes else { throw .messageTooLarge }
            joined.data.writeBuffer(&piece)
            guard frame.fin else {
                message = joined
                return nil
            }
            return WebSocketFrame(fin: true, rsv1: joined.rsv1, opcode: joined.opcode, data: joined.data)
        default:
            return frame
        }
    }
}

@available(*, unavailable)
extension WebSocketFrameReader: Sendable {}
