import ChorusServer
import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing

/// Client frames from raw bytes: decoding, the RFC 6455 rules and fragment joining, on an embedded
/// channel.
@Suite("WebSocket frame reader")
struct WebSocketFrameReaderTests {
    static let maxMessageBytes = 4096

    static func reader(compression: Bool = false) -> EmbeddedChannel {
        EmbeddedChannel(
            handler: WebSocketFrameReader(maxMessageBytes: maxMessageBytes, compressionNegotiated: compression)
        )
    }

    static func read(_ channel: EmbeddedChannel) throws -> [(WebSocketOpcode, String)] {
        var frames: [(WebSocketOpcode, String)] = []
        while let frame = try channel.readInbound(as: WebSocketFrame.self) {
            frames.append((frame.opcode, String(buffer: frame.unmaskedData)))
        }
        return frames
    }

    @Test("data and control frames pass on unmasked, with 7-, 16- and 64-bit lengths")
    func frames() throws {
        let channel = Self.reader()
        let long = String(repeating: "a", count: 300)
        try channel.writeInbound(ClientFrameBytes.frame("{}"))
        try channel.writeInbound(ClientFrameBytes.frame(long))
        try channel.writeInbound(ClientFrameBytes.frame("p", opcode: 0x9))
        try channel.writeInbound(ClientFrameBytes.frame("q", opcode: 0xA))
        try channel.writeInbound(ClientFrameBytes.frame(ByteBuffer(bytes: [0x03, 0xE8]), opcode: 0x8))
        let frames = try Self.read(channel)
        #expect(frames.map(\.0) == [.text, .text, .ping, .pong, .connectionClose])
        #expect(frames[0].1 == "{}" && frames[1].1 == long && frames[2].1 == "p")

        // A 64-bit length is legal for any size; the reader takes what the length says.
        var wide = ByteBuffer(bytes: [0x81, 0xFF])
        wide.writeInteger(UInt64(2))
        wide.writeBytes(ClientFrameBytes.mask)
        var payload = ByteBuffer(string: "ok")
        payload.webSocketMask(WebSocketMaskingKey(ClientFrameBytes.mask)!)
        wide.writeBuffer(&payload)
        try channel.writeInbound(wide)
        #expect(try Self.read(channel).map(\.1) == ["ok"])
    }

    @Test("frames cut at every byte, and several in one read, come out whole and in order")
    func splitAndCoalesced() throws {
        var stream = ClientFrameBytes.frame("first")
        var second = ClientFrameBytes.frame(String(repeating: "b", count: 200))
        stream.writeBuffer(&second)
        for cut in 1..<stream.readableBytes {
            let channel = Self.reader()
            try channel.writeInbound(stream.getSlice(at: 0, length: cut)!)
            try channel.writeInbound(stream.getSlice(at: cut, length: stream.readableBytes - cut)!)
            #expect(try Self.read(channel).map(\.1) == ["first", String(repeating: "b", count: 200)], "cut at \(cut)")
        }
    }

    @Test("fragments join into one message; control frames between them pass first; RSV1 stays on the message")
    func fragments() throws {
        let channel = Self.reader(compression: true)
        try channel.writeInbound(ClientFrameBytes.frame("he", fin: false, rsv1: true))
        try channel.writeInbound(ClientFrameBytes.frame("!", opcode: 0x9))
        try channel.writeInbound(ClientFrameBytes.frame("ll", opcode: 0x0, fin: false))
        try channel.writeInbound(ClientFrameBytes.frame("o", opcode: 0x0))
        let ping = try #require(try channel.readInbound(as: WebSocketFrame.self))
        let message = try #require(try channel.readInbound(as: WebSocketFrame.self))
        #expect(ping.opcode == .ping)
        #expect(message.opcode == .text && message.fin && message.rsv1)
        #expect(String(buffer: message.unmaskedData) == "hello")
    }

    @Test("a message of max_message_bytes, whole or in 256 fragments, passes")
    func edges() throws {
        let channel = Self.reader()
        try channel.writeInbound(ClientFrameBytes.frame(String(repeating: "x", count: Self.maxMessageBytes)))
        try channel.writeInbound(ClientFrameBytes.frame("a", fin: false))
        for _ in 0..<254 { try channel.writeInbound(ClientFrameBytes.frame("a", opcode: 0x0, fin: false)) }
        try channel.writeInbound(ClientFrameBytes.frame("a", opcode: 0x0))
        #expect(try Self.read(channel).map(\.1.count) == [Self.maxMessageBytes, 256])
    }

    static let tooManyFragments: ByteBuffer = {
        var bytes = ClientFrameBytes.frame("a", fin: false)
        for _ in 0..<256 {
            var next = ClientFrameBytes.frame("a", opcode: 0x0, fin: false)
            bytes.writeBuffer(&next)
        }
        return bytes
    }()

    static let joinedTooLarge: ByteBuffer = {
        var bytes = ClientFrameBytes.frame(String(repeating: "x", count: maxMessageBytes), fin: false)
        var last = ClientFrameBytes.frame("x", opcode: 0x0)
        bytes.writeBuffer(&last)
        return bytes
    }()

    static let newMessageInsideOne: ByteBuffer = {
        var bytes = ClientFrameBytes.frame("a", fin: false)
        var next = ClientFrameBytes.frame("b")
        bytes.writeBuffer(&next)
        return bytes
    }()

    @Test(
        "each rule raises its violation once, and nothing after it passes",
        arguments: [
            (ClientFrameBytes.frame(ByteBuffer(string: "{}"), masked: false), WebSocketViolation.unmaskedFrame),
            (ClientFrameBytes.frame(ByteBuffer(string: "{}"), rsv2: true), .reservedBitsSet),
            (ClientFrameBytes.frame("{}", rsv1: true), .reservedBitsSet),
            (ClientFrameBytes.frame("x", opcode: 0x3), .reservedOpcode),
            (ClientFrameBytes.frame("x", opcode: 0xB), .reservedOpcode),
            (ClientFrameBytes.frame("x", opcode: 0x9, fin: false), .invalidControlFrame),
            (ClientFrameBytes.frame(String(repeating: "x", count: 126), opcode: 0x9), .invalidControlFrame),
            (ClientFrameBytes.frame(String(repeating: "x", count: maxMessageBytes + 1)), .messageTooLarge),
            (ClientFrameBytes.frame("x", opcode: 0x0), .badFragmentSequence),
            (newMessageInsideOne, .badFragmentSequence),
            (tooManyFragments, .messageTooLarge),
            (joinedTooLarge, .messageTooLarge),
        ]
    )
    func violations(bytes: ByteBuffer, violation: WebSocketViolation) throws {
        let channel = Self.reader()
        #expect(throws: violation) { try channel.writeInbound(bytes) }
        try channel.writeInbound(ClientFrameBytes.frame("after"))
        let passed = try Self.read(channel).map(\.1)
        #expect(!passed.contains("after"))
    }

    @Test("with permessage-deflate, RSV1 is allowed on a message's first frame only")
    func rsv1WithCompression() throws {
        for opcode: UInt8 in [0x0, 0x8, 0x9, 0xA] {
            let channel = Self.reader(compression: true)
            if opcode == 0x0 { try channel.writeInbound(ClientFrameBytes.frame("a", fin: false)) }
            #expect(throws: WebSocketViolation.reservedBitsSet, "opcode \(opcode)") {
                try channel.writeInbound(ClientFrameBytes.frame("x", opcode: opcode, rsv1: true))
            }
        }
        let channel = Self.reader(compression: true)
        try channel.writeInbound(ClientFrameBytes.frame("{}", rsv1: true))
        #expect(try channel.readInbound(as: WebSocketFrame.self)?.rsv1 == true)
    }
}
