import Foundation

/// Reads the subscribers of a `chorus load --workers N` run from its worker processes: each
/// question goes to every worker still running, and the answers are merged exactly (counters
/// summed, HdrHistograms added).
///
/// A worker that fails once its subscribers are ready is left out of later answers, and the
/// final ``snapshot()`` names it in ``LoopSnapshot/failures``, which fails the run.
struct WorkerMeter: DeliveryMeter {
    /// How long a worker may take to answer a question (other than ``WorkerCommand/finish``).
    static let answerTimeout: Duration = .seconds(30)
    /// How long a worker may take to report and close its connections.
    static let finishTimeout: Duration = .seconds(60)

    let workers: [WorkerProcess]

    /// Starts `launch.count` workers and waits, up to `timeout`, until each has opened and
    /// subscribed its share; returns the meter and their connection figures summed. Any worker
    /// failing before then stops them all and throws ``LoadError/workerFailed(index:reason:)``.
    static func start(_ launch: WorkerLaunch, within timeout: Duration) async throws -> (WorkerMeter, ConnectFigures) {
        // A question written to a worker that has just died must fail, not kill this process.
        signal(SIGPIPE, SIG_IGN)
        var workers: [WorkerProcess] = []
        do {
            for index in 0..<launch.count { workers.append(try WorkerProcess.start(index: index, launch: launch)) }
        } catch {
            for worker in workers { worker.kill() }
            throw LoadError.workerFailed(index: workers.count, reason: "cannot be started: \(error)")
        }
        let meter = WorkerMeter(workers: workers)
        do {
            let shares = try await withThrowingTaskGroup(of: ConnectFigures.self) { group in
                for worker in workers {
                    group.addTask {
                        guard case .ready(let figures) = try await worker.ask(nil, within: timeout) else {
                            throw LoadError.workerFailed(index: worker.index, reason: "did not say it was ready")
                        }
                        return figures
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // A launch has at least one worker.
            var figures = shares[0]
            for share in shares.dropFirst() { figures.add(share) }
            return (meter, figures)
        } catch {
            for worker in workers { worker.kill() }
            throw error
        }
    }

    func counts() async -> DeliveryCounts {
        await ask(.counts).reduce(into: DeliveryCounts()) { total, answer in
            if case .counts(let counts) = answer { total = total + counts }
        }
    }

    func takeInterval() async -> IntervalReading {
        await ask(.interval).reduce(into: IntervalReading()) { total, answer in
            if case .interval(let reading) = answer { total.add(reading) }
        }
    }

    func startPhase() async {
        _ = await ask(.startPhase)
    }

    /// Workers send latency only in intervals and at the end, so the progress line shows none.
    func latency() async -> LatencyHistogram { LatencyHistogram() }

    /// Workers take no delta runs (the scenario validator refuses them), so nothing is awaited.
    func waitForDeltaReferences(_ expected: Int, timeout: Double) async {}

    /// Every worker's final report merged; the workers then close their connections and exit.
    func snapshot() async -> LoopSnapshot {
        let snapshots = await ask(.finish, within: Self.finishTimeout).compactMap { answer -> LoopSnapshot? in
            if case .finished(let snapshot) = answer { snapshot } else { nil }
        }
        var merged = LoopSnapshot.merged(snapshots)
        merged.failures += workers.compactMap(\.failure)
        return merged
    }

    /// Waits for the workers to exit, killing those that do not within 10 s.
    func stop() async {
        await withTaskGroup(of: Void.self) { group in
            for worker in workers { group.addTask { await worker.stop(within: .seconds(10)) } }
        }
    }

    /// `command`'s answers from every worker still running, in worker order.
    private func ask(_ command: WorkerCommand, within timeout: Duration = answerTimeout) async -> [WorkerMessage] {
        await withTaskGroup(of: (Int, WorkerMessage?).self) { group in
            for worker in workers {
                group.addTask { (worker.index, try? await worker.ask(command, within: timeout)) }
            }
            var answers: [(Int, WorkerMessage)] = []
            for await (index, answer) in group {
                if let answer { answers.append((index, answer)) }
            }
            return answers.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
