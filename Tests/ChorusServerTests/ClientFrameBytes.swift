import NIOCore
import NIOWebSocket

/// Client WebSocket frames as bytes on the wire (RFC 6455 §5.2), masked as a client masks them
/// unless told otherwise.
enum ClientFrameBytes {
    static let mask: [UInt8] = [1, 2, 3, 4]

    static func frame(
        _ payload: ByteBuffer,
        opcode: UInt8 = 0x1,
        fin: Bool = true,
        rsv1: Bool = false,
        rsv2: Bool = false,
        masked: Bool = true
    ) -> ByteBuffer {
        var bytes = ByteBuffer()
        var first = opcode
        if fin { first |= 0x80 }
        if rsv1 { first |= 0x40 }
        if rsv2 { first |= 0x20 }
        bytes.writeInteger(first)
        let maskBit: UInt8 = masked ? 0x80 : 0
        switch payload.readableBytes {
        case ..<126:
            bytes.writeInteger(UInt8(payload.readableBytes) | maskBit)
        case ..<65_536:
            bytes.writeInteger(126 | maskBit)
            bytes.writeInteger(UInt16(payload.readableBytes))
        default:
            bytes.writeInteger(127 | maskBit)
            bytes.writeInteger(UInt64(payload.readableBytes))
        }
        var body = payload
        if masked {
            bytes.writeBytes(mask)
            body.webSocketMask(WebSocketMaskingKey(mask)!)
        }
        bytes.writeBuffer(&body)
        return bytes
    }

    static func frame(_ text: String, opcode: UInt8 = 0x1, fin: Bool = true, rsv1: Bool = false) -> ByteBuffer {
        frame(ByteBuffer(string: text), opcode: opcode, fin: fin, rsv1: rsv1)
    }
}
