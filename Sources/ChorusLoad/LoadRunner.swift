import ChorusClient
import Foundation
import NIOCore
import NIOPosix

/// Runs one scenario against one server, or the nodes of a cluster: opens and subscribes the
/// connections (spread over the target's servers), publishes the warm-up and measured events (to
/// its publish server), waits for the deliveries, and builds the ``LoadReport``.
///
/// Deliveries are accounted per subscriber and channel whatever server it is on, so a cluster run
/// checks that every node delivers each channel's events once and in the publisher's order. With
/// ``workers``, worker processes hold the subscribers (see ``LoadWorker``) while this process
/// publishes and counts what is owed, so the accounting stays exact.
public struct LoadRunner: Sendable {
    /// Event loops reading the subscriber connections.
    public static let loopCount = 2

    /// The run's subscribers once subscribed, wherever they are.
    private struct Subscribers {
        var meter: any DeliveryMeter
        var figures: ConnectFigures
        /// This process's connections by plan index (none when workers hold them): client-event
        /// senders publish through them.
        var channels: [(any Channel)?]
        /// Ends every subscriber once the final snapshot is taken.
        var close: @Sendable () async -> Void
    }

    public var scenario: Scenario
    public var target: LoadTarget
    /// Whether to draw a live progress line (on a terminal).
    public var showProgress: Bool
    /// Whether a timed run prints each time series point on standard error (off with `--quiet`).
    public var printsPoints: Bool
    /// The worker processes that hold the subscribers; `nil`: this process holds them.
    public var workers: WorkerLaunch?

    public init(
        scenario: Scenario,
        target: LoadTarget,
        showProgress: Bool,
        printsPoints: Bool = true,
        workers: WorkerLaunch? = nil
    ) {
        self.scenario = scenario
        self.target = target
        self.showProgress = showProgress
        self.printsPoints = printsPoints
        self.workers = workers
    }

    public func run() async throws -> LoadReport {
        if let workers, workers.count > scenario.totalConnections {
            throw LoadError.moreWorkersThanConnections(workers: workers.count, connections: scenario.totalConnections)
        }
        FileDescriptorLimit.raise(to: (workers == nil ? scenario.totalConnections : 0) + 256)
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

    /// Opens the subscribers in this process, or starts the workers and waits until theirs are.
    private func subscribe(
        on group: MultiThreadedEventLoopGroup,
        progress: LoadProgress,
        ticker: (any DeliveryMeter) -> ProgressLine?
    ) async throws -> (Subscribers, ProgressLine?) {
        if let workers {
            let timeout = Duration.seconds(scenario.connectTimeout) + .seconds(30)
            let (meter, figures) = try await WorkerMeter.start(workers, within: timeout)
            progress.connectionsOpened(figures.opened)
            return (Subscribers(meter: meter, figures: figures, channels: [], close: meter.stop), ticker(meter))
        }
        let local = try await LocalSubscribers(group: group, workloads: scenario.workloads.count)
        let line = ticker(local.meter)
        do {
            let opened = try await local.open(
                ConnectionPlan.plans(for: scenario, key: target.key, secret: target.secret),
                scenario: scenario,
                target: target,
                concurrency: scenario.connectConcurrency,
                progress: progress
            )
            let subscribers = Subscribers(
                meter: local.meter,
                figures: opened.figures,
                channels: opened.channels,
                close: { LocalSubscribers.close(opened) }
            )
            return (subscribers, line)
        } catch {
            line?.stop()
            throw error
        }
    }

    private func run(on group: MultiThreadedEventLoopGroup) async throws -> LoadReport {
        let progress = LoadProgress()
        let (subscribers, ticker) = try await subscribe(on: group, progress: progress) { meter in
            guard showProgress else { return nil }
            let line = ProgressLine(progress: progress, meter: meter, wanted: scenario.totalConnections)
            line.start()
            return line
        }
        defer { ticker?.stop() }
        return await measure(subscribers, progress: progress)
    }

    /// Publishes the warm-up and measured events to the subscribers, waits for their deliveries
    /// and builds the report; closes the subscribers once it has their final snapshot.
    private func measure(_ subscribers: Subscribers, progress: LoadProgress) async -> LoadReport {
        let meter = subscribers.meter
        let sources = scenario.workloads.indices.map { index in
            EventSource.make(
                scenario: scenario,
                workload: index,
                target: target,
                channels: subscribers.channels,
                progress: progress
            )
        }
        var ledgers = sources.enumerated().map { index, source in
            DeliveryLedger(
                subscribedPerChannel: subscribers.figures.subscribedPerChannel[index],
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
            opened: subscribers.figures.opened,
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

        await subscribers.close()
        for source in sources { await source.shutdown() }
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
                connections: subscribers.figures,
                workers: workers?.count,
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
