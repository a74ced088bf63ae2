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
    // The whole publish path on one shard: from the events as published to the queued frames.
    publish("publish.1event.1k", subscribers: 1_000)
    publish("publish.1event.10k", subscribers: 10_000)
    publish("publish.batch10.10k", subscribers: 10_000, events: 10)

    // A client's messages read from the socket's bytes.
    webSocketFrameReaderBenchmarks()

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
    historyStoreBenchmarks()
    clusterBenchmarks()
    deflateBenchmarks()
}

/// Registers one fan-out benchmark: `events` events, each to every channel of a shard holding
/// `subscribers` connections spread over `channels` channels. The events go through the server's
/// publish path (``EventEncoder``) before measurement; measured is the shard queueing the batch.
func fanOut(_ name: String, subscribers: Int, channels: Int = 1, events: Int = 1, flushing: Bool = false) {
    var fixture: (shard: FanOutFixture, batch: [OutboundEvent])?
    Benchmark(name) { benchmark in
        let current =
            fixture
            ?? {
                let shard = FanOutFixture(subscribers: subscribers, channelCount: channels)
                let batch = shard.batch((0..<events).map { SampleEvent.event(number: $0, channels: shard.channels) })
                return (shard, batch)
            }()
        fixture = current
        current.shard.drain()
        benchmark.startMeasurement()
        current.shard.enqueue(current.batch)
        if flushing { current.shard.drain() }
        benchmark.stopMeasurement()
    }
}

/// Registers one end-to-end publish benchmark: `events` events to the one channel of a shard
/// holding `subscribers` connections, measured from the published events (serialising, framing,
/// joining the batch) to every subscriber's queue holding them.
func publish(_ name: String, subscribers: Int, events: Int = 1) {
    var fixture: FanOutFixture?
    let published = (0..<events).map { SampleEvent.event(number: $0) }
    Benchmark(name) { benchmark in
        let current = fixture ?? FanOutFixture(subscribers: subscribers, channelCount: 1)
        fixture = current
        current.drain()
        benchmark.startMeasurement()
        current.enqueue(current.batch(published))
        benchmark.stopMeasurement()
    }
}
