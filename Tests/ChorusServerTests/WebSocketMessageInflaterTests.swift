import ChorusDeflate
import ChorusServer
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

/// Compressed client messages through the frame reader and the inflater, as the server's pipeline
/// holds them once `permessage-deflate` was negotiated.
@Suite("WebSocket message inflater")
struct WebSocketMessageInflaterTests {
    static let maxMessageBytes = 4096

    func pipeline() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        let inflater = NIOLoopBoundBox.makeBoxSendingValue(try MessageInflater(), eventLoop: channel.eventLoop)
        try channel.pipeline.syncOperations.addHandlers([
            WebSocketFrameReader(maxMessageBytes: Self.maxMessageBytes, compressionNegotiated: true),
            WebSocketMessageInflater(inflater: inflater, maxMessageBytes: Self.maxMessageBytes),
        ])
        return channel
    }

    static func compressed(_ text: String) throws -> ByteBuffer {
        let padded =
            text + String(repeating: " ", count: max(0, MessageCompressor.minimumPayloadBytes - text.utf8.count))
        return try #require(try MessageCompressor().compress(ByteBuffer(string: padded)))
    }

    /// A client frame carrying `payload`, as bytes on the wire.
    static func frame(
        _ payload: ByteBuffer,
        opcode: WebSocketOpcode = .text,
        fin: Bool = true,
        rsv1: Bool
    ) -> ByteBuffer {
        ClientFrameBytes.frame(payload, opcode: UInt8(webSocketOpcode: opcode), fin: fin, rsv1: rsv1)
    }

    @Test("compressed and plain messages, whole or fragmented, come out plain and in order")
    func inflates() throws {
        let channel = try pipeline()
        let first = try Self.compressed(#"{"event":"pusher:ping"}"#)
        try channel.writeInbound(Self.frame(first, rsv1: true))
        try channel.writeInbound(Self.frame(ByteBuffer(string: "plain"), rsv1: false))
        let second = try Self.compressed(#"{"event":"pusher:subscribe"}"#)
        try channel.writeInbound(Self.frame(second.getSlice(at: 0, length: 4)!, fin: false, rsv1: true))
        try channel.writeInbound(
            Self.frame(second.getSlice(at: 4, length: second.readableBytes - 4)!, opcode: .continuation, rsv1: false)
        )
        var texts: [ByteBuffer] = []
        while let frame = try channel.readInbound(as: WebSocketFrame.self) { texts.append(frame.unmaskedData) }
        try #require(texts.count == 3)
        #expect(String(buffer: texts[0]).hasPrefix(#"{"event":"pusher:ping"}"#))
        #expect(String(buffer: texts[1]) == "plain")
        #expect(String(buffer: texts[2]).hasPrefix(#"{"event":"pusher:subscribe"}"#))
    }

    @Test("max_message_bytes applies to the inflated size, at its edge")
    func capEdge() throws {
        let compressor = try MessageCompressor()
        let atCap = try #require(compressor.compress(ByteBuffer(repeating: 0x20, count: Self.maxMessageBytes)))
        let channel = try pipeline()
        try channel.writeInbound(Self.frame(atCap, rsv1: true))
        #expect(try channel.readInbound(as: WebSocketFrame.self)?.unmaskedData.readableBytes == Self.maxMessageBytes)
        let overCap = try #require(compressor.compress(ByteBuffer(repeating: 0x20, count: Self.maxMessageBytes + 1)))
        #expect(throws: WebSocketViolation.messageTooLarge) {
            try channel.writeInbound(Self.frame(overCap, rsv1: true))
        }
    }

    @Test("corrupt compressed data is refused with 1007")
    func corrupt() throws {
        let channel = try pipeline()
        #expect(throws: WebSocketViolation.invalidCompressedData) {
            try channel.writeInbound(Self.frame(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF]), rsv1: true))
        }
        #expect(WebSocketViolation.invalidCompressedData.closeCode == .dataInconsistentWithMessage)
    }

    @Test(
        "RSV1 on a control frame or a continuation is still a violation",
        arguments: [WebSocketOpcode.ping, .pong, .connectionClose, .continuation]
    )
    func reservedBitsOutsideTheExtension(opcode: WebSocketOpcode) throws {
        let channel = try pipeline()
        #expect(throws: WebSocketViolation.reservedBitsSet) {
            try channel.writeInbound(Self.frame(ByteBuffer(string: "x"), opcode: opcode, rsv1: true))
        }
    }
}
