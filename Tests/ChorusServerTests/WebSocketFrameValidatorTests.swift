import ChorusServer
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

/// The RFC 6455 header checks, on an embedded channel.
@Suite("WebSocket frame validator")
struct WebSocketFrameValidatorTests {
    static let mask: WebSocketMaskingKey = [1, 2, 3, 4]

    static func frame(
        opcode: WebSocketOpcode = .text,
        masked: Bool = true,
        rsv1: Bool = false
    ) -> WebSocketFrame {
        WebSocketFrame(
            fin: true,
            rsv1: rsv1,
            opcode: opcode,
            maskKey: masked ? mask : nil,
            data: ByteBuffer(string: "{}")
        )
    }

    @Test("masked frames with known opcodes and no reserved bits pass through")
    func validFrames() throws {
        let channel = EmbeddedChannel(handler: WebSocketFrameValidator())
        for opcode in [WebSocketOpcode.text, .binary, .ping, .pong, .connectionClose, .continuation] {
            try channel.writeInbound(Self.frame(opcode: opcode))
            #expect(try channel.readInbound(as: WebSocketFrame.self)?.opcode == opcode)
        }
    }

    @Test(
        "an unmasked frame, reserved bits or a reserved opcode raise the violation, and nothing after it passes",
        arguments: [
            (frame(masked: false), WebSocketViolation.unmaskedFrame),
            (frame(rsv1: true), .reservedBitsSet),
            (frame(opcode: WebSocketOpcode(encodedWebSocketOpcode: 0x3)!), .reservedOpcode),
            (frame(opcode: WebSocketOpcode(encodedWebSocketOpcode: 0xB)!), .reservedOpcode),
        ]
    )
    func violations(frame: WebSocketFrame, violation: WebSocketViolation) throws {
        let channel = EmbeddedChannel(handler: WebSocketFrameValidator())
        #expect(throws: violation) { try channel.writeInbound(frame) }
        try channel.writeInbound(Self.frame())
        #expect(try channel.readInbound(as: WebSocketFrame.self) == nil)
    }
}
