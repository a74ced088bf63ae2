import ChorusClient
import Foundation
import NIOCore
import NIOPosix

/// Runs one scenario against one server: opens and subscribes the connections, publishes the
/// warm-up and measured events, waits for the deliveries, and builds the ``LoadReport``.
public struct LoadRunner: Sendable {
    /// Event loops reading the subscriber connections.
    public static let loopCount = 2

    public var scenario: Scenario
    public var target: LoadTarget
    /// Whether to draw a live progress line (on a terminal).
    public var showProgress: Bool

    public init(scenario: Scenario, target: LoadTarget, showProgress: Bool) {
        self.scenario = scenario
        self.target = target
        self.showProgress = showProgress
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
        var recorders: [NIOLoopBound<LoopRecorder>] = []
        for loop in loops {
            recorders.append(try await loop.submit { NIOLoopBound(LoopRecorder(), eventLoop: loop) }.get())
        }
        let connector = WebSocketConnector(host: target.host, port: target.port, timeout: .seconds(10))
        let pool = ConnectionPool(
            connector: connector,
            path: WebSocketConnector.pusherPath(key: target.key),
            loops: loops,
            recorders: recorders
        )
        let progress = LoadProgress()
        let meter = LoadMeter(loops: loops, recorders: recorders)
        let ticker =
            showProgress ? ProgressLine(progress: progress, meter: meter, wanted: scenario.totalConnections) : nil
        ticker?.start()
        defer { ticker?.stop() }

        let plans = ConnectionPlan.plans(for: scenario, key: target.key, secret: target.secret)
        do {
            // One connection first, so an unreachable server is one clear error rather than thousands.
            let probe = try await pool.open(plans[0], index: 0)
            probe.pipeline.fireUserInboundEventTriggered(SubscriberCommand.finish)
            try? await probe.close()
        } catch {
            throw LoadError.unreachable(host: target.host, port: target.port, reason: "\(error)")
        }
        let opened = try await pool.openAll(
            plans,
            channelCount: scenario.channels,
            concurrency: scenario.connectConcurrency,
            timeout: scenario.connectTimeout,
            progress: progress
        )
        if opened.failures * 10 > plans.count {
            for channel in opened.channels { channel?.close(promise: nil) }
            throw LoadError.tooManyConnectFailures(failed: opened.failures, firstError: opened.firstError ?? "")
        }
        if let churn = scenario.presenceChurn {
            for (index, channel) in opened.channels.enumerated() where !plans[index].checked {
                channel?.pipeline.fireUserInboundEventTriggered(
                    SubscriberCommand.startChurn(interval: .milliseconds(Int64(churn.intervalMilliseconds)))
                )
            }
        }

        let source = try await EventSource.make(scenario: scenario, target: target, opened: opened, progress: progress)
        var ledger = DeliveryLedger(
            subscribedPerChannel: opened.subscribedPerChannel,
            sendersReceive: source.sendersReceive
        )
        var accepted = 0
        if scenario.warmup > 0 {
            let warm = await source.publish(first: 0, count: scenario.warmup)
            ledger.add(warm)
            accepted += warm.accepted
            await meter.waitForDeliveries(ledger.expected, timeout: scenario.drainTimeout)
        }
        await meter.startPhase()

        let generatorSampler = ProcessSampler(pid: nil)
        let serverSampler = target.serverPID.map { ProcessSampler(pid: $0) }
        let generatorBefore = generatorSampler.sample()
        let serverBefore = serverSampler?.sample()
        let phaseStart = MonotonicClock.now()
        let measured = await source.publish(first: scenario.warmup, count: scenario.events)
        let publishEnd = MonotonicClock.now()
        ledger.add(measured)
        await meter.waitForDeliveries(ledger.expected, timeout: scenario.drainTimeout)
        if scenario.delta != nil {
            await meter.waitForDeltaReferences(accepted + measured.accepted, timeout: scenario.drainTimeout)
        }
        let snapshot = await meter.snapshot()
        let phaseEnd = max(snapshot.lastDeliveryAt, publishEnd)
        let phaseSeconds = Double(phaseEnd - phaseStart) / 1e9
        let generatorAfter = generatorSampler.sample()
        let serverAfter = serverSampler?.sample()

        for channel in opened.channels.compactMap({ $0 }) {
            channel.pipeline.fireUserInboundEventTriggered(SubscriberCommand.finish)
        }
        await source.shutdown()
        for channel in opened.channels.compactMap({ $0 }) { channel.close(promise: nil) }

        var usage: (generator: ProcessUsage?, server: ProcessUsage?) = (nil, nil)
        if let generatorBefore, let generatorAfter {
            usage.generator = generatorSampler.usage(from: generatorBefore, to: generatorAfter, seconds: phaseSeconds)
        }
        if let serverSampler, let serverBefore, let serverAfter {
            usage.server = serverSampler.usage(from: serverBefore, to: serverAfter, seconds: phaseSeconds)
        }
        return ReportBuilder(scenario: scenario, target: target).build(
            opened: opened,
            ledger: ledger,
            measured: measured,
            sourceName: source.name,
            snapshot: snapshot,
            publishSeconds: Double(publishEnd - phaseStart) / 1e9,
            phaseSeconds: phaseSeconds,
            usage: usage
        )
    }
}
