import ChorusClient
import Foundation
import NIOCore
import NIOPosix

/// Runs one scenario against one server, or the nodes of a cluster: opens and subscribes the
/// connections (spread over the target's servers), publishes the warm-up and measured events (to
/// its publish server), waits for the deliveries, and builds the ``LoadReport``.
///
/// Deliveries are accounted per subscriber and channel whatever server it is on, so a cluster run
/// checks that every node delivers each channel's events once and in the publisher's order.
public struct LoadRunner: Sendable {
    /// Event loops reading the subscriber connections.
    public static let loopCount = 2

    public var scenario: Scenario
    public var target: LoadTarget
    /// Whether to draw a live progress line (on a terminal).
    public var showProgress: Bool
    /// Whether a timed run prints each time series point on standard error (off with `--quiet`).
    public var printsPoints: Bool

    public init(scenario: Scenario, target: LoadTarget, showProgress: Bool, printsPoints: Bool = true) {
        self.scenario = scenario
        self.target = target
        self.showProgress = showProgress
        self.printsPoints = printsPoints
    }

    public func run() async throws -> LoadReport {
        FileDescriptorLimit.raise(to: scenario.totalConnections + 256)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: Self.loopCount)
        do {
            let report = try await run(on: group)
            try await group.shutdownGracefully()
            return report
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private func run(on group: MultiThreadedEventLoopGroup) async throws -> LoadReport {
        let loops = Array(group.makeIterator())
        let workloadCount = scenario.workloads.count
        var recorders: [NIOLoopBound<LoopRecorder>] = []
        for loop in loops {
            recorders.append(
                try await loop.submit { NIOLoopBound(LoopRecorder(workloads: workloadCount), eventLoop: loop) }.get()
            )
        }
        let pool = ConnectionPool(target: target, loops: loops, recorders: recorders)
        let progress = LoadProgress()
        let meter = LoadMeter(loops: loops, recorders: recorders)
        let ticker =
            showProgress ? ProgressLine(progress: progress, meter: meter, wanted: scenario.totalConnections) : nil
        ticker?.start()
        defer { ticker?.stop() }

        let plans = ConnectionPlan.plans(for: scenario, key: target.key, secret: target.secret)
        for (index, address) in target.addresses.enumerated() {
            do {
                // One connection to each server first, so an unreachable one is one clear error
                // rather than thousands.
                let probe = try await pool.open(plans[0], index: index, address: index)
                probe.pipeline.fireUserInboundEventTriggered(SubscriberCommand.finish)
                try? await probe.close()
            } catch {
                throw LoadError.unreachable(host: address.host, port: address.port, reason: "\(error)")
            }
        }
        let opened = try await pool.openAll(
            plans,
            channelCounts: scenario.workloads.map(\.channels),
            concurrency: scenario.connectConcurrency,
            timeout: scenario.connectTimeout,
            progress: progress
        )
        if opened.failures * 10 > plans.count {
            for channel in opened.channels { channel?.close(promise: nil) }
            throw LoadError.tooManyConnectFailures(failed: opened.failures, firstError: opened.firstError ?? "")
        }
        for (index, channel) in opened.channels.enumerated() where !plans[index].checked {
            guard plans[index].deltaRole == nil, let churn = scenario.workloads[plans[index].workload].presenceChurn
            else { continue }
            channel?.pipeline.fireUserInboundEventTriggered(
                SubscriberCommand.startChurn(interval: .milliseconds(Int64(churn.intervalMilliseconds)))
            )
        }

        let sources = scenario.workloads.indices.map { index in
            EventSource.make(scenario: scenario, workload: index, target: target, opened: opened, progress: progress)
        }
        var ledgers = sources.enumerated().map { index, source in
            DeliveryLedger(
                subscribedPerChannel: opened.subscribedPerChannel[index],
                sendersReceive: source.sendersReceive
            )
        }
        var expected: Int64 { ledgers.reduce(0) { $0 + $1.expected } }
        let historyCheck = scenario.checksHistory ? HistoryCheck(scenario: scenario, target: target) : nil
        let historyBaselines = await historyCheck?.baselines()
        var warmAccepted = 0
        var warmOutcomes: [PublishOutcome] = []
        if scenario.warmup > 0 {
            let warm = await Self.publish(sources, first: 0, count: { _ in scenario.warmup })
            warmOutcomes = warm
            for (index, outcome) in warm.enumerated() {
                ledgers[index].add(outcome)
                warmAccepted += outcome.accepted
            }
            await meter.waitForDeliveries(expected, timeout: scenario.drainTimeout)
        }
        await meter.startPhase()

        let generatorSampler = ProcessSampler(pid: nil)
        let serverSampler = target.serverPID.map { ProcessSampler(pid: $0) }
        let sampling = startSampling(
            meter: meter,
            opened: opened.opened,
            server: serverSampler,
            generator: generatorSampler
        )
        let generatorBefore = generatorSampler.sample()
        let serverBefore = serverSampler?.sample()
        let phaseStart = MonotonicClock.now()
        let measured = await Self.publish(
            sources,
            first: scenario.warmup,
            count: { scenario.events(ofWorkload: $0) }
        )
        let publishEnd = MonotonicClock.now()
        for (index, outcome) in measured.enumerated() { ledgers[index].add(outcome) }
        await meter.waitForDeliveries(expected, timeout: scenario.drainTimeout)
        if scenario.workloads[0].delta != nil {
            let accepted = warmAccepted + measured.reduce(0) { $0 + $1.accepted }
            await meter.waitForDeltaReferences(accepted, timeout: scenario.drainTimeout)
        }
        sampling.cancel()
        let points = await sampling.value
        let snapshot = await meter.snapshot()
        let phaseEnd = max(snapshot.lastDeliveryAt, publishEnd)
        let phaseSeconds = Double(phaseEnd - phaseStart) / 1e9
        let generatorAfter = generatorSampler.sample()
        let serverAfter = serverSampler?.sample()

        for channel in opened.channels.compactMap({ $0 }) {
            channel.pipeline.fireUserInboundEventTriggered(SubscriberCommand.finish)
        }
        for source in sources { await source.shutdown() }
        for channel in opened.channels.compactMap({ $0 }) { channel.close(promise: nil) }
        var history: [HistoryFigures?] = []
        if let historyCheck, let historyBaselines {
            var published = measured
            for (index, warm) in warmOutcomes.enumerated() {
                published[index] = warm
                published[index].add(measured[index])
            }
            history = await historyCheck.audit(published, baselines: historyBaselines)
        }

        var usage: (generator: ProcessUsage?, server: ProcessUsage?) = (nil, nil)
        if let generatorBefore, let generatorAfter {
            usage.generator = generatorSampler.usage(from: generatorBefore, to: generatorAfter, seconds: phaseSeconds)
        }
        if let serverSampler, let serverBefore, let serverAfter {
            usage.server = serverSampler.usage(from: serverBefore, to: serverAfter, seconds: phaseSeconds)
        }
        return ReportBuilder(scenario: scenario, target: target).build(
            ReportBuilder.Measured(
                opened: opened,
                ledgers: ledgers,
                outcomes: measured,
                sourceNames: sources.map(\.name),
                snapshot: snapshot,
                publishSeconds: Double(publishEnd - phaseStart) / 1e9,
                phaseSeconds: phaseSeconds,
                usage: usage,
                timeSeries: points.isEmpty
                    ? nil : TimeSeries(intervalSeconds: scenario.sampleIntervalSeconds, points: points),
                history: history
            )
        )
    }

    /// Publishes every workload's events `first..<first + count(workload)` at the same time; one
    /// outcome per workload.
    private static func publish(
        _ sources: [EventSource],
        first: Int,
        count: (Int) -> Int
    ) async -> [PublishOutcome] {
        await withTaskGroup(of: (Int, PublishOutcome).self) { group in
            for (index, source) in sources.enumerated() {
                let events = count(index)
                group.addTask { (index, await source.publish(first: first, count: events)) }
            }
            var outcomes = [PublishOutcome?](repeating: nil, count: sources.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes.map { $0 ?? PublishOutcome(channels: 0) }
        }
    }
}
