package import NIOCore

/// Encodes complete server→client WebSocket frames (RFC 6455, unmasked) into one buffer each,
/// so a broadcast frame is built once and the same bytes are written to every subscriber.
package enum WebSocketFrameWriter {
    /// Opcodes the server sends.
    package enum Opcode: UInt8, Sendable {
        case text = 0x1
        case close = 0x8
        case ping = 0x9
        case pong = 0xA
    }

    /// The header length for a payload of `length` bytes.
    @inlinable
    package static func headerLength(payloadLength length: Int) -> Int {
        length < 126 ? 2 : (length <= Int(UInt16.max) ? 4 : 10)
    }

    /// A complete final frame holding `payload`; `compressed` sets RSV1, marking a
    /// `permessage-deflate` message (RFC 7692).
    @inlinable
    package static func frame(
        _ opcode: Opcode,
        payload: some Collection<UInt8>,
        compressed: Bool = false,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) -> ByteBuffer {
        let length = payload.count
        var buffer = allocator.buffer(capacity: headerLength(payloadLength: length) + length)
        writeHeader(opcode, payloadLength: length, compressed: compressed, into: &buffer)
        buffer.writeBytes(payload)
        return buffer
    }

    /// A text frame holding the serialised Pusher message.
    package static func textFrame(_ text: String, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer
    {
        frame(.text, payload: text.utf8, allocator: allocator)
    }

    /// A close frame with a status code and an optional reason (truncated to fit 125 bytes).
    package static func closeFrame(code: UInt16, reason: String = "") -> ByteBuffer {
        var payload: [UInt8] = [UInt8(code >> 8), UInt8(code & 0xFF)]
        payload.append(contentsOf: reason.utf8.prefix(123))
        return frame(.close, payload: payload)
    }

    /// The payload of `frame`, one complete unmasked frame as this type writes them; `nil` when
    /// `frame` is shorter than its header says.
    package static func payload(of frame: ByteBuffer) -> ByteBuffer? {
        guard let lengthByte = frame.getInteger(at: frame.readerIndex + 1, as: UInt8.self) else { return nil }
        let start = frame.readerIndex + 2
        let (headerLength, length): (Int, Int?) =
            switch lengthByte & 0x7F {
            case 126: (4, frame.getInteger(at: start, as: UInt16.self).map(Int.init))
            case 127: (10, frame.getInteger(at: start, as: UInt64.self).flatMap { Int(exactly: $0) })
            case let short: (2, Int(short))
            }
        guard let length else { return nil }
        return frame.getSlice(at: frame.readerIndex + headerLength, length: length)
    }

    @inlinable
    static func writeHeader(
        _ opcode: Opcode,
        payloadLength length: Int,
        compressed: Bool = false,
        into buffer: inout ByteBuffer
    ) {
        buffer.writeInteger(0x80 | (compressed ? 0x40 : 0) | opcode.rawValue)
        if length < 126 {
            buffer.writeInteger(UInt8(length))
        } else if length <= Int(UInt16.max) {
            buffer.writeInteger(UInt8(126))
            buffer.writeInteger(UInt16(length))
        } else {
            buffer.writeInteger(UInt8(127))
            buffer.writeInteger(UInt64(length))
        }
    }
}
