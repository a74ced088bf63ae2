import Benchmark
import ChorusCore
import ChorusProtocol
import NIOCore

/// Delta compression benchmarks: a batch of 10 events of about 1 KB, each a small change of the
/// one before, to one channel whose subscribers all take deltas. Measured, through the server's
/// publish path (``EventEncoder``): serialising each event, appending it to the channel's chain
/// (the Fossil or VCDIFF delta), building its frames, and queueing the right frame for every
/// subscriber. The `conflation100` runs spread the stream over 100 symbols on one channel
/// conflated by symbol: each event is a delta against the previous event of its own symbol. The
/// malloc count must not grow with the subscriber count.
func deltaBenchmarks() {
    deltaBatch("delta.batch10.1k", subscribers: 1_000)
    deltaBatch("delta.batch10.10k", subscribers: 10_000)
    deltaBatch("delta.vcdiff.batch10.1k", subscribers: 1_000, algorithm: .xdelta3)
    deltaBatch("delta.vcdiff.batch10.10k", subscribers: 10_000, algorithm: .xdelta3)
    deltaBatch("delta.conflation100.1k", subscribers: 1_000, conflationKeys: 100)
    deltaBatch("delta.conflation100.10k", subscribers: 10_000, conflationKeys: 100)

    let source = DeltaSamples.message(number: 0)
    let target = DeltaSamples.message(number: 1)
    Benchmark("delta.fossil.create.1KB") { _ in
        blackHole(FossilDelta.create(from: source, to: target))
    }
    let delta = FossilDelta.create(from: source, to: target)
    Benchmark("delta.fossil.apply.1KB") { _ in
        blackHole(try? FossilDelta.apply(delta, to: source))
    }
    Benchmark("delta.vcdiff.create.1KB") { _ in
        blackHole(VCDIFFDelta.create(from: source, to: target))
    }
    let vcdiff = VCDIFFDelta.create(from: source, to: target)
    Benchmark("delta.vcdiff.apply.1KB") { _ in
        blackHole(try? VCDIFFDelta.apply(vcdiff, to: source))
    }
}

func deltaBatch(
    _ name: String,
    subscribers: Int,
    algorithm: DeltaAlgorithm = .fossil,
    conflationKeys: Int? = nil
) {
    // Delta allocations depend a little on the text of each message (digits, buffer growth), not on
    // the number of subscribers: the gate allows that much drift.
    let deltaConfiguration = Benchmark.Configuration(
        thresholds: [.mallocCountTotal: .init(absolute: [.p90: 16])]
    )
    var fixture: FanOutFixture?
    var next = 0
    Benchmark(name, configuration: deltaConfiguration) { benchmark in
        let current =
            fixture
            ?? FanOutFixture(
                subscribers: subscribers,
                channels: [DeltaSamples.channel],
                delta: algorithm,
                conflation: conflationKeys.map { ConflationRule(path: "symbol", maximumKeys: $0) }
            )
        if fixture == nil, let conflationKeys {
            // Every symbol's chain started, as in a running market: the batches measured are deltas.
            current.enqueue(
                current.batch((0..<conflationKeys).map { DeltaSamples.event(number: $0, symbols: conflationKeys) })
            )
            next = conflationKeys
        }
        fixture = current
        current.drain()
        let events = (next..<(next + 10)).map { DeltaSamples.event(number: $0, symbols: conflationKeys) }
        next += 10
        benchmark.startMeasurement()
        current.enqueue(current.batch(events))
        benchmark.stopMeasurement()
    }
}

/// A telemetry stream: each message about 1.1 KB, differing from the one before in two readings.
enum DeltaSamples {
    static let eventName = "readings"

    static let channel = "telemetry"

    /// The `number`th event of the stream as a backend publishes it; with `symbols`, event
    /// `number` is the `number / symbols`th of symbol `number % symbols`.
    static func event(number: Int, symbols: Int? = nil) -> PublishedEvent {
        PublishedEvent(name: eventName, channels: [channel], data: data(number: number, symbols: symbols))
    }

    /// The `number`th message of the stream, serialised as the server sends it.
    static func message(number: Int) -> [UInt8] {
        Array(PusherMessage(event: eventName, channel: channel, data: data(number: number)).jsonText.utf8)
    }

    private static func data(number: Int, symbols: Int? = nil) -> JSONValue {
        let symbol = symbols.map { #""symbol":"S\#(number % $0)","# } ?? ""
        let round = symbols.map { number / $0 } ?? number
        var readings: [String] = []
        for sensor in 0..<16 {
            // Three sensors change per message; the others keep their value.
            let value = sensor % 8 == round % 8 ? 20 + round % 17 : 20 + sensor
            readings.append(#"{"sensor":"bay-\#(sensor)","celsius":\#(value).5,"status":"nominal"}"#)
        }
        return .string(
            #"{\#(symbol)"seq":\#(round),"site":"plant-7","readings":["# + readings.joined(separator: ",") + "]}"
        )
    }
}
