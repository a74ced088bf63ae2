import ChorusLoad
import ChorusTesting
import Foundation
import Histogram
import NIOCore
import Testing

/// `chorus load --workers`: what crosses between the parent and its workers (and must merge
/// exactly), how the connections are split, and what a scenario may ask of several processes.
@Suite struct WorkersTests {
    /// Latencies spread over six orders of magnitude, as a run sees them (1 µs to past 60 s).
    private static func samples(_ count: Int, seed: UInt64) -> [UInt64] {
        var random = SplitMix(state: seed)
        return (0..<count).map { _ in
            let exponent = Double.random(in: 3...10.9, using: &random)
            return UInt64(pow(10, exponent))
        }
    }

    /// A histogram as a worker sends it: inside its final snapshot, one JSON line.
    private static func overTheWire(_ histogram: LatencyHistogram) throws -> LoopSnapshot {
        let line = try JSONLines.encode(WorkerMessage.finished(LoopSnapshot(latency: histogram)))
        #expect(line.last == UInt8(ascii: "\n"))
        guard case .finished(let snapshot) = try JSONLines.decode(WorkerMessage.self, from: line.dropLast()) else {
            Issue.record("not a finished message")
            return LoopSnapshot()
        }
        return snapshot
    }

    @Test(arguments: [2, 3])
    func mergedPercentilesEqualOneProcess(workers: Int) throws {
        let samples = Self.samples(50_000, seed: 20 + UInt64(workers))
        var single = LatencyHistogram()
        var shares = Array(repeating: LatencyHistogram(), count: workers)
        for (index, sample) in samples.enumerated() {
            single.record(nanoseconds: sample)
            // Uneven shares: a worker's subscribers need not see the same latencies.
            shares[(index * index) % workers].record(nanoseconds: sample)
        }
        let merged = LoopSnapshot.merged(try shares.map(Self.overTheWire)).latency
        #expect(merged.count == single.count)
        #expect(merged.histogram.max == single.histogram.max)
        #expect(merged.histogram.min == single.histogram.min)
        #expect(merged.histogram.mean == single.histogram.mean)
        for tenth in 0...1_000 {
            let percentile = Double(tenth) / 10
            #expect(merged.histogram.valueAtPercentile(percentile) == single.histogram.valueAtPercentile(percentile))
        }
        for percentile in [99.9, 99.99, 99.999, 99.9999] {
            #expect(merged.histogram.valueAtPercentile(percentile) == single.histogram.valueAtPercentile(percentile))
        }
        #expect(merged.summary == single.summary)
    }

    @Test func everyCommandRoundTrips() throws {
        for command in [WorkerCommand.counts, .interval, .startPhase, .finish] {
            let line = try JSONLines.encode(command)
            #expect(try JSONLines.decode(WorkerCommand.self, from: line.dropLast()) == command)
        }
        #expect(String(decoding: try JSONLines.encode(WorkerCommand.startPhase), as: UTF8.self) == "\"start_phase\"\n")
    }

    @Test func everyMessageRoundTrips() throws {
        var counts = DeliveryCounts()
        (counts.received, counts.unique, counts.duplicates, counts.outOfOrder) = (1_003, 1_000, 2, 1)
        (counts.presenceEvents, counts.protocolErrors, counts.unexpectedCloses) = (7, 1, 3)
        var handshakes = LatencyHistogram()
        handshakes.record(nanoseconds: 2_500_000)
        let figures = ConnectFigures(
            opened: 99,
            failures: 1,
            firstError: "refused \"x\"\nsecond line",
            handshakes: handshakes,
            seconds: 1.25,
            subscribedPerChannel: [[50, 49], [0]],
            perAddress: [.init(connections: 60, subscribers: 59), .init(connections: 39, subscribers: 40)]
        )
        var interval = IntervalReading()
        interval.record(nanoseconds: 4_000_000)
        var snapshot = LoopSnapshot(
            workloadCounts: [counts, DeliveryCounts()],
            workloadLatency: [handshakes, LatencyHistogram()],
            latency: handshakes,
            phaseReceived: 1_000,
            lastDeliveryAt: UInt64.max - 1,
            errorSamples: ["pusher:error 4100"]
        )
        snapshot.failures = ["worker 1 (pid 7) failed: exited with status 9"]
        snapshot.processes = [ProcessUsage(pid: 7, cpuSeconds: 1.5, cpuPercent: 30, rssMiB: 40, peakRSSMiB: 41)]
        let messages: [WorkerMessage] = [
            .ready(figures), .counts(counts), .interval(interval), .phaseStarted, .finished(snapshot),
            .failed("cannot reach a Pusher server at 127.0.0.1:1"),
        ]
        for message in messages {
            let line = try JSONLines.encode(message)
            // One line each: a newline inside would cut the message in two.
            #expect(line.filter { $0 == UInt8(ascii: "\n") }.count == 1)
            let decoded = try JSONLines.decode(WorkerMessage.self, from: line.dropLast())
            #expect(try JSONLines.encode(decoded) == line)
        }
        guard case .ready(let read) = try JSONLines.decode(WorkerMessage.self, from: JSONLines.encode(messages[0]))
        else { throw Failure.wrongMessage }
        #expect(read.firstError == figures.firstError && read.perAddress == figures.perAddress)
        #expect(read.subscribedPerChannel == figures.subscribedPerChannel && read.handshakes.count == 1)
        guard case .finished(let back) = try JSONLines.decode(WorkerMessage.self, from: JSONLines.encode(messages[4]))
        else { throw Failure.wrongMessage }
        #expect(back.counts == snapshot.counts && back.lastDeliveryAt == UInt64.max - 1)
        #expect(back.failures == snapshot.failures && back.processes == snapshot.processes)
        #expect(back.workloadLatency.map(\.count) == [1, 0])
    }

    private enum Failure: Error { case wrongMessage }

    @Test func answersMatchTheirCommands() {
        #expect(WorkerMessage.ready(ConnectFigures(subscribedPerChannel: [])).answers(nil))
        #expect(!WorkerMessage.ready(ConnectFigures(subscribedPerChannel: [])).answers(.counts))
        #expect(WorkerMessage.counts(DeliveryCounts()).answers(.counts))
        #expect(!WorkerMessage.counts(DeliveryCounts()).answers(.interval))
        #expect(WorkerMessage.phaseStarted.answers(.startPhase))
        #expect(WorkerMessage.finished(LoopSnapshot()).answers(.finish))
        #expect(!WorkerMessage.failed("x").answers(.finish))
    }

    @Test func connectFiguresAddUp() {
        var total = ConnectFigures(
            opened: 3,
            firstError: nil,
            seconds: 2,
            subscribedPerChannel: [[2, 1]],
            perAddress: [.init(connections: 3, subscribers: 3)]
        )
        total.add(
            ConnectFigures(
                opened: 2,
                failures: 1,
                firstError: "boom",
                seconds: 3,
                subscribedPerChannel: [[1, 1]],
                perAddress: [.init(connections: 2, subscribers: 2)]
            )
        )
        #expect(total.opened == 5 && total.failures == 1 && total.firstError == "boom" && total.seconds == 3)
        #expect(total.subscribedPerChannel == [[3, 2]] && total.perAddress == [.init(connections: 5, subscribers: 5)])
    }

    @Test func sharesAreDisjointAndEven() throws {
        let scenario = try ScenarioParser(source: "t").parse("name: t\nsubscribers: 1001\nchannels: 10\nevents: 1")
        let plans = ConnectionPlan.plans(for: scenario, key: "k", secret: "s")
        let shares = (0..<3).map { LoadWorker.share(of: plans, index: $0, count: 3) }
        #expect(shares.map(\.count) == [334, 334, 333])
        let channels = shares.flatMap { $0.map(\.request.channel) }.sorted()
        #expect(channels == plans.map(\.request.channel).sorted())
        for share in shares {
            let perChannel = Dictionary(grouping: share, by: \.channelIndex).mapValues(\.count)
            #expect(perChannel.values.max()! - perChannel.values.min()! <= 1)
        }
    }

    @Test func workersConnectFromTheirOwnLoopbackAddress() throws {
        let loopback = LoadTarget(host: "127.0.0.1", port: 6001, appID: "1", key: "k", secret: "s")
        #expect(LoadWorker.sourceAddress(worker: 0, target: loopback)?.ipAddress == "127.0.0.2")
        #expect(LoadWorker.sourceAddress(worker: 3, target: loopback)?.ipAddress == "127.0.0.5")
        let remote = LoadTarget(host: "10.0.0.1", port: 6001, appID: "1", key: "k", secret: "s")
        #expect(LoadWorker.sourceAddress(worker: 0, target: remote) == nil)
    }

    @Test func workersRaiseTheSubscriberLimit() throws {
        let text = "name: t\nsubscribers: 20000\nevents: 1"
        #expect(throws: ScenarioError.self) { try ScenarioParser(source: "t").parse(text) }
        #expect(try ScenarioParser(source: "t", processes: 2).parse(text).subscribers == 20_000)
        let over = #expect(throws: ScenarioError.self) {
            try ScenarioParser(source: "t", processes: 2).parse("name: t\nsubscribers: 20001\nevents: 1")
        }
        #expect(over?.description.contains("between 1 and 20000") == true)
    }

    @Test func theScenarioCanNameItsWorkers() throws {
        let text = "name: t\nworkers: 2\nsubscribers: 20000\nevents: 1"
        #expect(try ScenarioParser(source: "t").parse(text).workers == 2)
        // `--workers 1` overrides the scenario's two.
        #expect(throws: ScenarioError.self) { try ScenarioParser(source: "t", processes: 1).parse(text) }
        let bad = #expect(throws: ScenarioError.self) {
            try ScenarioParser(source: "t").parse("name: t\nworkers: 65\nsubscribers: 1\nevents: 1")
        }
        #expect(bad?.field == "workers")
        let twenty = try ScenarioParser.load(path: BundledScenarios.file(for: "fanout-20k"))
        #expect(twenty.workers == 2 && twenty.subscribers == 19_900)
    }

    @Test func workersTakeNoClientEventsOrDeltas() {
        let clientEvents = """
            name: t
            subscribers: 20
            channels: 2
            channel_kind: private
            events: 1
            client_events: {rate_per_sender: 5}
            """
        let refused = #expect(throws: ScenarioError.self) {
            try ScenarioParser(source: "t", processes: 2).parse(clientEvents)
        }
        #expect(refused?.field == "client_events")
        let delta = #expect(throws: ScenarioError.self) {
            try ScenarioParser(source: "t", processes: 2).parse("name: t\nsubscribers: 20\nevents: 1\ndelta: true")
        }
        #expect(delta?.field == "delta")
    }

    @Test func workerCountIsBounded() {
        #expect(throws: LoadError.badWorkerCount(0, maximum: 64)) { try WorkerLaunch(count: 0, arguments: []) }
        #expect(throws: LoadError.badWorkerCount(65, maximum: 64)) { try WorkerLaunch(count: 65, arguments: []) }
        let launch = try? WorkerLaunch(count: 2, arguments: ["load", "smoke", "--workers", "2"], executable: "/bin/x")
        #expect(launch?.executable == "/bin/x")
        #expect(launch?.arguments(forWorker: 1) == ["load", "smoke", "--workers", "2", "--worker-index", "1"])
    }
}
