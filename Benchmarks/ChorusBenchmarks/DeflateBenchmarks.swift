import Benchmark
import ChorusCore
import ChorusDeflate
import ChorusProtocol
import NIOCore

/// `permessage-deflate`: a 2 KB event compressed once, and the same compressed frame queued and
/// written to 1k and 10k subscribers that negotiated it — the allocation count must not grow with
/// the number of subscribers.
func deflateBenchmarks() {
    let compressor = try! MessageCompressor()
    let payload = ByteBuffer(string: LargeEvent.message(number: 0).jsonText)
    Benchmark("deflate.compress.2KB") { _ in
        blackHole(compressor.compress(payload))
    }
    compressedFanOut("deflate.broadcast.2KB.1k+flush", subscribers: 1_000)
    compressedFanOut("deflate.broadcast.2KB.10k+flush", subscribers: 10_000)
    compressedPublish("deflate.publish.2KB.1k", subscribers: 1_000)
    compressedPublish("deflate.publish.2KB.10k", subscribers: 10_000)
}

/// A shard whose `subscribers` all negotiated compression on one channel.
private func compressingFixture(subscribers: Int) -> FanOutFixture {
    let compression = FrameCompression(compressor: try! MessageCompressor(streams: 1))
    return FanOutFixture(subscribers: subscribers, channels: ["market-0"], compression: compression)
}

/// Measures queueing a compressed 2 KB event (encoded and compressed before measurement) and
/// writing it to every subscriber.
private func compressedFanOut(_ name: String, subscribers: Int) {
    var fixture: (shard: FanOutFixture, batch: [OutboundEvent])?
    Benchmark(name) { benchmark in
        let current =
            fixture
            ?? {
                let shard = compressingFixture(subscribers: subscribers)
                return (shard, shard.batch([LargeEvent.event(number: 0)]))
            }()
        fixture = current
        precondition(current.batch[0].compressed != nil, "the 2 KB event must have a compressed form")
        current.shard.drain()
        benchmark.startMeasurement()
        current.shard.enqueue(current.batch)
        current.shard.drain()
        benchmark.stopMeasurement()
    }
}

/// Measures the whole publish path of a 2 KB event with compression: encoding, compressing once,
/// queueing for every subscriber.
private func compressedPublish(_ name: String, subscribers: Int) {
    var fixture: FanOutFixture?
    let published = [LargeEvent.event(number: 0)]
    Benchmark(name) { benchmark in
        let current = fixture ?? compressingFixture(subscribers: subscribers)
        fixture = current
        current.drain()
        benchmark.startMeasurement()
        current.enqueue(current.batch(published))
        benchmark.stopMeasurement()
    }
}

/// A 2 KB JSON event: an order book snapshot of 20 levels.
enum LargeEvent {
    static func message(number: Int) -> PusherMessage {
        PusherMessage(event: "book-snapshot", channel: "market-0", data: data(number: number))
    }

    static func event(number: Int) -> PublishedEvent {
        PublishedEvent(name: "book-snapshot", channels: ["market-0"], data: data(number: number))
    }

    private static func data(number: Int) -> JSONValue {
        let levels = (0..<20).map { level in
            #"{"level":\#(level),"bid":\#(1.08412 - Double(level) / 100_000),"bid_size":\#(1_000_000 + level * 250_000),"ask":\#(1.08415 + Double(level) / 100_000),"ask_size":\#(1_200_000 + level * 200_000)}"#
        }
        return .string(#"{"symbol":"EURUSD","seq":\#(number),"levels":[\#(levels.joined(separator: ","))]}"#)
    }
}
