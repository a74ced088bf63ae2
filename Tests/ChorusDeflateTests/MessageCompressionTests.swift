import ChorusDeflate
import NIOCore
import Testing

@Suite("Compressing server messages once, inflating client messages under a cap")
struct MessageCompressionTests {
    private let json = ByteBuffer(
        string: #"{"event":"price","channel":"ticker","data":"#
            + String(repeating: #"{\"symbol\":\"ACME\",\"bid\":101.25,\"ask\":101.5}"#, count: 60) + "}"
    )

    @Test("a payload of 1 KB or more round-trips and shrinks; the sync-flush tail is left out")
    func roundTrip() throws {
        let compressor = try MessageCompressor()
        let compressed = try #require(compressor.compress(json))
        #expect(compressed.readableBytes < json.readableBytes / 4)
        #expect(compressed.getBytes(at: compressed.writerIndex - 4, length: 4) != [0, 0, 0xFF, 0xFF])
        let inflated = try MessageInflater().inflate(compressed, maxBytes: json.readableBytes)
        #expect(inflated == json)
    }

    @Test("the same payload compresses to the same bytes every time: no context is carried over")
    func noContextTakeover() throws {
        let compressor = try MessageCompressor(streams: 1)
        let first = compressor.compress(json)
        let second = compressor.compress(json)
        #expect(first != nil && first == second)
    }

    @Test("payloads under 1 KB, and payloads that would not shrink, are not compressed")
    func notWorthIt() throws {
        let compressor = try MessageCompressor()
        #expect(compressor.compress(ByteBuffer(string: String(repeating: "a", count: 1023))) == nil)
        #expect(compressor.compress(ByteBuffer(string: String(repeating: "a", count: 1024))) != nil)
        var generator = SystemRandomNumberGenerator()
        let noise = ByteBuffer(bytes: (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
        #expect(compressor.compress(noise) == nil)
    }

    @Test("inflating stops at the cap: exactly the cap passes, one byte more is refused")
    func capEdge() throws {
        let compressor = try MessageCompressor()
        let inflater = try MessageInflater()
        let payload = ByteBuffer(string: String(repeating: "x", count: 64 * 1024))
        let compressed = try #require(compressor.compress(payload))
        #expect(try inflater.inflate(compressed, maxBytes: 64 * 1024).readableBytes == 64 * 1024)
        #expect(throws: MessageInflater.Failure.tooLarge) {
            try inflater.inflate(compressed, maxBytes: 64 * 1024 - 1)
        }
        // The inflater is reusable after a refusal.
        #expect(try inflater.inflate(compressed, maxBytes: 64 * 1024) == payload)
    }

    @Test("a zip bomb (a few KB inflating to 100 MB) is refused at the cap")
    func zipBomb() throws {
        let compressor = try MessageCompressor()
        let bomb = try #require(compressor.compress(ByteBuffer(repeating: 0, count: 100 * 1024 * 1024)))
        #expect(bomb.readableBytes < 200 * 1024)
        #expect(throws: MessageInflater.Failure.tooLarge) {
            try MessageInflater().inflate(bomb, maxBytes: 128 * 1024)
        }
    }

    @Test("bytes that are not deflate data are refused as corrupt")
    func corrupt() throws {
        #expect(throws: MessageInflater.Failure.corrupt) {
            try MessageInflater().inflate(ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0x00]), maxBytes: 1024)
        }
    }
}
