import ChorusCore
import ChorusDeflate
import ChorusProtocol
import NIOCore
import Testing

/// A subscriber that keeps every frame written to it, bytes and all.
final class CapturingSink: FrameSink {
    private(set) var frames: [ByteBuffer] = []
    var isWritable: Bool { true }
    func write(_ frame: ByteBuffer) { frames.append(frame) }
    func flush() {}
    func close(code: PusherCloseReason) {}
}

@Suite("permessage-deflate in the broadcast engine")
struct FrameCompressionTests {
    let key = ChannelKey(appID: "1", channel: "book")
    let settings = PublishSettings(appID: "1")
    let big = JSONValue.string(String(repeating: #"{"bid":1.08412,"ask":1.08415,"size":1250000}"#, count: 40))

    /// A shard with compression, `compressing` subscribers that negotiated it and `plain` that did not.
    func setUp(compressing: Int, plain: Int) throws -> (BroadcastShard, EventEncoder, [CapturingSink], [CapturingSink])
    {
        let compression = FrameCompression(compressor: try MessageCompressor(streams: 1))
        let shard = BroadcastShard(compression: compression)
        let encoder = EventEncoder(directory: ChannelDirectory(), compression: compression)
        let compressingSinks = (0..<compressing).map { _ in CapturingSink() }
        let plainSinks = (0..<plain).map { _ in CapturingSink() }
        for sink in compressingSinks { shard.subscribe(shard.register(sink, compresses: true), to: key) }
        for sink in plainSinks { shard.subscribe(shard.register(sink), to: key) }
        return (shard, encoder, compressingSinks, plainSinks)
    }

    func inflatedText(_ frame: ByteBuffer) throws -> String {
        let payload = try #require(WebSocketFrameWriter.payload(of: frame))
        return String(buffer: try MessageInflater().inflate(payload, maxBytes: 1 << 20))
    }

    @Test(
        "a big event is compressed once: every compressing subscriber is written the same buffer, the others the plain frame"
    )
    func sharedCompressedFrame() throws {
        let (shard, encoder, compressing, plain) = try setUp(compressing: 3, plain: 2)
        let events = encoder.outboundEvents(
            for: [PublishedEvent(name: "snapshot", channels: ["book"], data: big)],
            settings: settings
        )
        let compressed = try #require(events[0].compressed)
        shard.enqueue(events, shardIndex: 0)
        shard.flush()
        for sink in compressing {
            #expect(sink.frames.count == 1)
            // The very buffer made once, not a copy per subscriber.
            #expect(
                sink.frames[0].withUnsafeReadableBytes { $0.baseAddress }
                    == compressed.withUnsafeReadableBytes { $0.baseAddress }
            )
            #expect(sink.frames[0].getInteger(at: 0, as: UInt8.self) == 0xC1)  // FIN + RSV1 + text
        }
        for sink in plain { #expect(sink.frames == [events[0].frame]) }
        let text = try inflatedText(compressing[0].frames[0])
        #expect(text == String(buffer: try #require(WebSocketFrameWriter.payload(of: events[0].frame))))
        #expect(compressed.readableBytes < events[0].frame.readableBytes / 3)
    }

    @Test("nothing is compressed while no connection takes compression, nor a frame under 1 KB")
    func compressedOnlyWhenWanted() throws {
        let (shard, encoder, compressing, _) = try setUp(compressing: 1, plain: 1)
        let small = PublishedEvent(name: "tick", channels: ["book"], data: .string("1.08"))
        #expect(encoder.outboundEvents(for: [small], settings: settings)[0].compressed == nil)
        let bigEvent = PublishedEvent(name: "snapshot", channels: ["book"], data: big)
        #expect(encoder.outboundEvents(for: [bigEvent], settings: settings)[0].compressed != nil)
        _ = compressing
        shard.unregister(0)  // the one compressing connection leaves
        #expect(encoder.compression?.connectionCount == 0)
        #expect(encoder.outboundEvents(for: [bigEvent], settings: settings)[0].compressed == nil)
    }

    @Test("a batch joined into one write carries the compressed forms joined too, in order")
    func coalescedBatch() throws {
        let (shard, encoder, compressing, plain) = try setUp(compressing: 1, plain: 1)
        let events = encoder.outboundEvents(
            for: [
                PublishedEvent(name: "snapshot", channels: ["book"], data: big),
                PublishedEvent(name: "tick", channels: ["book"], data: .string("1.08")),
            ],
            settings: settings
        )
        #expect(events.count == 1)
        shard.enqueue(events, shardIndex: 0)
        shard.flush()
        var joined = try #require(compressing[0].frames.first)
        #expect(joined.readInteger(as: UInt8.self) == 0xC1)
        #expect(plain[0].frames.count == 1 && plain[0].frames[0].getInteger(at: 0, as: UInt8.self) == 0x81)
        #expect(joined.readableBytes < plain[0].frames[0].readableBytes)
    }

    @Test("a big frame for one connection is compressed for it when it takes compression")
    func perConnectionFrame() throws {
        let (shard, _, compressing, plain) = try setUp(compressing: 1, plain: 1)
        let reply = WebSocketFrameWriter.textFrame(String(repeating: #"{"user_id":"u","user_info":{}}"#, count: 60))
        shard.enqueue(reply, toSlot: 0)
        shard.enqueue(reply, toSlot: 1)
        shard.flush()
        #expect(compressing[0].frames[0].getInteger(at: 0, as: UInt8.self) == 0xC1)
        #expect(try inflatedText(compressing[0].frames[0]) == String(buffer: WebSocketFrameWriter.payload(of: reply)!))
        #expect(plain[0].frames == [reply])
    }
}
