import Foundation
public import NIOCore
import NIOPosix

/// One worker process of a `chorus load --workers N` run: opens and subscribes its share of the
/// scenario's connections, says it is ready, then answers its parent's ``WorkerCommand``s (one
/// JSON line each on standard input, answered in order on standard output) until told to finish.
///
/// The parent publishes, so owed deliveries are counted in one place; workers only receive and
/// check. A worker whose standard input closes (its parent is gone) closes its connections and
/// returns.
public struct LoadWorker: Sendable {
    public var scenario: Scenario
    public var target: LoadTarget
    /// This worker's index, from 0.
    public var index: Int
    /// How many workers the run has.
    public var count: Int

    public init(scenario: Scenario, target: LoadTarget, index: Int, count: Int) {
        self.scenario = scenario
        self.target = target
        self.index = index
        self.count = count
    }

    /// The plans worker `index` of `count` opens: every `count`-th from its index, so each channel's
    /// subscribers, and each server's, are split evenly over the workers.
    package static func share(of plans: [ConnectionPlan], index: Int, count: Int) -> [ConnectionPlan] {
        stride(from: index, to: plans.count, by: count).map { plans[$0] }
    }

    /// The loopback address worker `index` connects from, `127.0.0.(2 + index)`, when every server
    /// is on loopback: each source address has its own ephemeral ports, so many workers never run
    /// out of them. `nil` (the system chooses) otherwise.
    public static func sourceAddress(worker index: Int, target: LoadTarget) -> SocketAddress? {
        guard target.isLoopback else { return nil }
        return try? SocketAddress(ipAddress: "127.0.0.\(2 + index)", port: 0)
    }

    /// Runs the worker; returns whether it finished as asked (false: it told the parent why not).
    public func run() async -> Bool {
        // A parent gone mid-write must be a failed write here, not a signal that kills the worker.
        signal(SIGPIPE, SIG_IGN)
        var target = target
        target.sourceAddress = Self.sourceAddress(worker: index, target: target)
        let plans = Self.share(
            of: ConnectionPlan.plans(for: scenario, key: target.key, secret: target.secret),
            index: index,
            count: count
        )
        FileDescriptorLimit.raise(to: plans.count + 256)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: LoadRunner.loopCount)
        var finished = false
        do {
            try await serve(plans, target: target, on: group)
            finished = true
        } catch {
            try? Self.send(.failed("\(error)"))
        }
        try? await group.shutdownGracefully()
        return finished
    }

    private func serve(
        _ plans: [ConnectionPlan],
        target: LoadTarget,
        on group: MultiThreadedEventLoopGroup
    ) async throws {
        let commands = JSONLines.lines(from: FileHandle.standardInput)
        let local = try await LocalSubscribers(group: group, workloads: scenario.workloads.count)
        let opened = try await local.open(
            plans,
            scenario: scenario,
            target: target,
            // The scenario's connect_concurrency holds for the run, over all workers.
            concurrency: max(1, (scenario.connectConcurrency + count - 1) / count),
            progress: LoadProgress()
        )
        defer { LocalSubscribers.close(opened) }
        try Self.send(.ready(opened.figures))
        let meter = local.meter
        let sampler = ProcessSampler(pid: nil)
        var phaseStart: (sample: ProcessSampler.Sample?, at: UInt64)?
        for await line in commands {
            switch try JSONLines.decode(WorkerCommand.self, from: line) {
            case .counts:
                try Self.send(.counts(await meter.counts()))
            case .interval:
                try Self.send(.interval(await meter.takeInterval()))
            case .startPhase:
                await meter.startPhase()
                phaseStart = (sampler.sample(), MonotonicClock.now())
                try Self.send(.phaseStarted)
            case .finish:
                var snapshot = await meter.snapshot()
                if let start = phaseStart?.sample, let at = phaseStart?.at, let end = sampler.sample() {
                    let seconds = Double(MonotonicClock.now() - at) / 1e9
                    snapshot.processes = [sampler.usage(from: start, to: end, seconds: seconds)]
                }
                try Self.send(.finished(snapshot))
                return
            }
        }
        throw LoadError.workerFailed(index: index, reason: "its parent closed standard input before the run finished")
    }

    private static func send(_ message: WorkerMessage) throws {
        try FileHandle.standardOutput.write(contentsOf: JSONLines.encode(message))
    }
}
