import Benchmark
import ChorusCore
import ChorusProtocol
import NIOCore

/// Delta compression benchmarks: a batch of 10 events of about 1 KB, each a small change of the
/// one before, to one channel whose subscribers all take deltas. Measured: appending each event to
/// the channel's chain (the Fossil delta), building its frames, and queueing the right frame for
/// every subscriber. The malloc count must not grow with the subscriber count.
func deltaBenchmarks() {
    deltaBatch("delta.batch10.1k", subscribers: 1_000)
    deltaBatch("delta.batch10.10k", subscribers: 10_000)

    let source = DeltaSamples.message(number: 0)
    let target = DeltaSamples.message(number: 1)
    Benchmark("delta.fossil.create.1KB") { _ in
        blackHole(FossilDelta.create(from: source, to: target))
    }
    let delta = FossilDelta.create(from: source, to: target)
    Benchmark("delta.fossil.apply.1KB") { _ in
        blackHole(try? FossilDelta.apply(delta, to: source))
    }
}

func deltaBatch(_ name: String, subscribers: Int) {
    // Delta allocations depend a little on the text of each message (digits, buffer growth), not on
    // the number of subscribers: the gate allows that much drift.
    let deltaConfiguration = Benchmark.Configuration(
        thresholds: [.mallocCountTotal: .init(absolute: [.p90: 16])]
    )
    var fixture: (shard: BroadcastShard, chains: DeltaChainStore, sinks: [DiscardingSink])?
    var next = 0
    let key = ChannelKey(appID: "1", channel: "telemetry")
    Benchmark(name, configuration: deltaConfiguration) { benchmark in
        let current = fixture ?? DeltaSamples.fixture(subscribers: subscribers, key: key)
        fixture = current
        current.shard.flush()
        let messages = (next..<(next + 10)).map { DeltaSamples.message(number: $0) }
        next += 10
        benchmark.startMeasurement()
        for message in messages {
            let frames = current.chains.frames(
                for: message,
                event: DeltaSamples.event,
                key: key,
                policy: DeltaPolicy(),
                force: nil
            )
            let frame = WebSocketFrameWriter.frame(.text, payload: message)
            blackHole(current.shard.enqueue(OutboundEvent(key: key, frame: frame, delta: frames), excluding: nil))
        }
        benchmark.stopMeasurement()
    }
}

/// A telemetry stream: each message about 1.1 KB, differing from the one before in two readings.
enum DeltaSamples {
    static let event = "readings"

    /// The `number`th message of the stream, serialised as the server sends it.
    static func message(number: Int) -> [UInt8] {
        var readings: [String] = []
        for sensor in 0..<16 {
            // Three sensors change per message; the others keep their value.
            let value = sensor % 8 == number % 8 ? 20 + number % 17 : 20 + sensor
            readings.append(#"{"sensor":"bay-\#(sensor)","celsius":\#(value).5,"status":"nominal"}"#)
        }
        let data = #"{"seq":\#(number),"site":"plant-7","readings":["# + readings.joined(separator: ",") + "]}"
        return Array(PusherMessage(event: event, channel: "telemetry", data: .string(data)).jsonText.utf8)
    }

    static func fixture(subscribers: Int, key: ChannelKey) -> (BroadcastShard, DeltaChainStore, [DiscardingSink]) {
        let shard = BroadcastShard()
        let chains = DeltaChainStore()
        var sinks: [DiscardingSink] = []
        for _ in 0..<subscribers {
            let sink = DiscardingSink()
            shard.subscribe(shard.register(sink), to: key, filter: nil, delta: true)
            chains.join(key)
            sinks.append(sink)
        }
        return (shard, chains, sinks)
    }
}
