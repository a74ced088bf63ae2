import ChorusServer
import NIOCore
import NIOEmbedded
import Testing

/// The first byte of a connection on a TLS port: a handshake record goes on to TLS untouched, and
/// anything else gets the clear-text 400 and a half-close.
@Suite("TLS plain-text refusal")
struct TLSPlaintextRefuserTests {
    @Test("a TLS handshake record passes through and the refuser leaves the pipeline")
    func handshakePassesThrough() throws {
        let channel = EmbeddedChannel(handler: PlaintextRefuser())
        let hello = ByteBuffer(bytes: [0x16, 0x03, 0x01, 0x00, 0x05])
        try channel.writeInbound(hello)
        #expect(try channel.readInbound(as: ByteBuffer.self) == hello)
        #expect(throws: (any Error).self) { try channel.pipeline.syncOperations.handler(type: PlaintextRefuser.self) }
        try channel.writeInbound(ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(string: "GET / HTTP/1.1\r\n\r\n"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
    }

    @Test("plain HTTP gets 400 tls_required in clear, nothing reaches TLS, and later bytes are dropped")
    func plainTextRefused() throws {
        let channel = EmbeddedChannel(handler: PlaintextRefuser())
        try channel.writeInbound(ByteBuffer(string: "GET /apps/1/channels HTTP/1.1\r\n"))
        try channel.writeInbound(ByteBuffer(string: "Host: 127.0.0.1\r\n\r\n"))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        let answer = try #require(try channel.readOutbound(as: ByteBuffer.self))
        let text = String(buffer: answer)
        let body = #"{"code":"tls_required","error":"This port speaks TLS only: connect with https:// or wss://"}"#
        #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(text.contains("\r\nContent-Type: application/json\r\n"))
        #expect(text.hasSuffix("\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
    }
}
