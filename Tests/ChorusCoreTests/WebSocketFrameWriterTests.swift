import ChorusCore
import NIOCore
import Testing

@Suite("WebSocketFrameWriter")
struct WebSocketFrameWriterTests {
    @Test(arguments: [(0, 2), (125, 2), (126, 4), (65_535, 4), (65_536, 10)])
    func theHeaderGrowsAtTheRFC6455Boundaries(payloadLength: Int, headerLength: Int) throws {
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: payloadLength)
        var frame = WebSocketFrameWriter.frame(.text, payload: payload)
        #expect(WebSocketFrameWriter.headerLength(payloadLength: payloadLength) == headerLength)
        #expect(frame.readableBytes == headerLength + payloadLength)
        #expect(frame.readInteger(as: UInt8.self) == 0x81)
        let readMarker = frame.readInteger(as: UInt8.self)
        let marker = try #require(readMarker)
        #expect(marker & 0x80 == 0, "server frames are not masked")
        switch headerLength {
        case 2: #expect(Int(marker) == payloadLength)
        case 4:
            #expect(marker == 126)
            #expect(frame.readInteger(as: UInt16.self).map(Int.init) == payloadLength)
        default:
            #expect(marker == 127)
            #expect(frame.readInteger(as: UInt64.self).map(Int.init) == payloadLength)
        }
        #expect(frame.readBytes(length: frame.readableBytes) == payload)
    }

    @Test func aTextFrameCarriesTheUTF8OfItsText() {
        var frame = WebSocketFrameWriter.textFrame("héllo")
        #expect(frame.readBytes(length: 2) == [0x81, 6])
        #expect(frame.readString(length: frame.readableBytes) == "héllo")
    }

    @Test func aCloseFrameCarriesItsCodeAndATruncatedReason() {
        var frame = WebSocketFrameWriter.closeFrame(code: 4100, reason: String(repeating: "r", count: 200))
        #expect(frame.readBytes(length: 2) == [0x88, 125])
        #expect(frame.readInteger(as: UInt16.self) == 4100)
        #expect(frame.readableBytes == 123)
    }
}
