import Benchmark
import ChorusCore
import ChorusProtocol
import NIOCore

let benchmarks: @Sendable () -> Void = {
    // Thresholds gate the allocation count only: it is deterministic, while wall-clock time on a
    // shared 2-core machine is not. Timings are reported in `results/benchmarks.md`.
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal],
        warmupIterations: 20,
        maxDuration: .seconds(3),
        maxIterations: 2_000,
        thresholds: [.mallocCountTotal: .init(relative: [.p90: 0], absolute: [.p90: 0])]
    )

    // Fan-out up to the point each subscriber can be written: its queue holds the frame's sequence.
    fanOut("broadcast.1event.1k", subscribers: 1_000)
    fanOut("broadcast.1event.10k", subscribers: 10_000)
    fanOut("broadcast.batch10.10k", subscribers: 10_000, events: 10)
    fanOut("broadcast.1kchannels.10k", subscribers: 10_000, channels: 1_000)
    // The same, then every subscriber's frames written to its sink and flushed once.
    fanOut("broadcast.1event.10k+flush", subscribers: 10_000, flushing: true)
    fanOut("broadcast.batch10.10k+flush", subscribers: 10_000, events: 10, flushing: true)

    // The yardstick: per-connection queues of frame references, measured in the same run.
    var queues: PerConnectionQueues?
    let referenceFrame = SampleEvent.frame(number: 0)
    Benchmark("reference.perConnectionQueues.10k") { benchmark in
        let current = queues ?? PerConnectionQueues(subscribers: 10_000)
        queues = current
        current.drain()
        benchmark.startMeasurement()
        current.enqueue(referenceFrame)
        benchmark.stopMeasurement()
    }

    Benchmark("encode.textFrame") { benchmark in
        let text = SampleEvent.text
        benchmark.startMeasurement()
        blackHole(WebSocketFrameWriter.textFrame(text))
    }

    Benchmark("encode.pusherEvent") { benchmark in
        let message = SampleEvent.message
        benchmark.startMeasurement()
        blackHole(WebSocketFrameWriter.textFrame(message.jsonText))
    }

    let channelAuth = SignatureSamples.channelAuth
    Benchmark("auth.private.verify") { _ in
        blackHole(
            channelAuth.authenticator.isValidChannelAuth(
                channelAuth.privateAuth,
                socketID: channelAuth.socketID,
                channel: channelAuth.privateChannel,
                channelData: nil
            )
        )
    }

    Benchmark("auth.presence.verify") { _ in
        blackHole(
            channelAuth.authenticator.isValidChannelAuth(
                channelAuth.presenceAuth,
                socketID: channelAuth.socketID,
                channel: channelAuth.presenceChannel,
                channelData: channelAuth.channelData
            )
        )
    }

    let request = SignatureSamples.request
    Benchmark("rest.signature.verify") { _ in
        blackHole(request.signer.isValid(request.signature, method: "POST", path: request.path, query: request.query))
    }

    Benchmark("rest.bodyMD5") { _ in
        blackHole(Hex.md5(request.body))
    }

    filterBenchmarks()
    deltaBenchmarks()
}

/// Registers one fan-out benchmark: `events` events, each to every channel of a shard holding
/// `subscribers` connections spread over `channels` channels.
func fanOut(_ name: String, subscribers: Int, channels: Int = 1, events: Int = 1, flushing: Bool = false) {
    var fixture: FanOutFixture?
    let frames = (0..<events).map { SampleEvent.frame(number: $0) }
    Benchmark(name) { benchmark in
        let shard = fixture ?? FanOutFixture(subscribers: subscribers, channels: channels)
        fixture = shard
        shard.drain()
        benchmark.startMeasurement()
        for frame in frames {
            for key in shard.keys {
                blackHole(shard.shard.enqueue(frame, to: key))
            }
        }
        if flushing { shard.shard.flush() }
        benchmark.stopMeasurement()
    }
}
