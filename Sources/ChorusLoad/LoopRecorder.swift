/// What the connections of one event loop observed; touched only on that loop, so no locks.
///
/// Counters cover the whole run (loss is judged over every event), one set per workload; the
/// latency histogram and ``phaseReceived`` cover the current phase, restarted by ``startPhase()``
/// after warm-up; the interval histogram and count cover the time since ``takeInterval()``.
package final class LoopRecorder {
    /// Counters per workload, in ``Scenario/workloads`` order.
    private(set) var workloadCounts: [DeliveryCounts]
    private(set) var latency = LatencyHistogram()
    /// The phase's latency per workload (only kept with several workloads).
    private(set) var workloadLatency: [LatencyHistogram]
    private(set) var phaseReceived: Int64 = 0
    /// Monotonic time of the latest delivery, 0 before any.
    private(set) var lastDeliveryAt: UInt64 = 0
    private var interval = IntervalReading()

    package init(workloads: Int) {
        workloadCounts = Array(repeating: DeliveryCounts(), count: workloads)
        workloadLatency = workloads > 1 ? Array(repeating: LatencyHistogram(), count: workloads) : []
    }

    /// The counters summed over workloads.
    package var counts: DeliveryCounts { workloadCounts.reduce(DeliveryCounts(), +) }

    package func recordDelivery(
        _ payload: EventPayload,
        workload: Int,
        receivedAt: UInt64,
        outcome: SequenceTracker.Outcome
    ) {
        workloadCounts[workload].received += 1
        phaseReceived += 1
        lastDeliveryAt = receivedAt
        switch outcome {
        case .inOrder, .skippedAhead: workloadCounts[workload].unique += 1
        case .late:
            workloadCounts[workload].unique += 1
            workloadCounts[workload].outOfOrder += 1
        case .duplicate: workloadCounts[workload].duplicates += 1
        }
        let nanoseconds = receivedAt &- payload.sentAt
        latency.record(nanoseconds: nanoseconds)
        interval.record(nanoseconds: nanoseconds)
        if !workloadLatency.isEmpty { workloadLatency[workload].record(nanoseconds: nanoseconds) }
    }

    package func recordPresenceEvent(workload: Int) { workloadCounts[workload].presenceEvents += 1 }

    /// The first few error messages, kept for the summary.
    private(set) var errorSamples: [String] = []

    package func recordProtocolError(_ message: String, workload: Int) {
        workloadCounts[workload].protocolErrors += 1
        if errorSamples.count < 5 { errorSamples.append(message) }
    }

    package func recordUnexpectedClose(workload: Int) { workloadCounts[workload].unexpectedCloses += 1 }

    /// What arrived since the previous call, and a fresh interval.
    package func takeInterval() -> IntervalReading {
        defer { interval = IntervalReading() }
        return interval
    }

    /// Delta runs only.
    private(set) var delta = DeltaTally()
    /// Frames the loop's delta subscribers share (see ``DeltaFrameCache``).
    package let deltaFrames = DeltaFrameCache()

    package func recordDeltaMessage(_ text: [UInt8], key: DeltaTally.Key, frameBytes: Int, rebuilt: Bool) {
        delta.recordMessage(text, key: key, frameBytes: frameBytes, rebuilt: rebuilt)
    }

    package func recordDeltaReference(_ text: [UInt8], key: DeltaTally.Key) { delta.recordReference(text, key: key) }

    package func recordDeltaSyncError() { delta.syncErrors += 1 }

    package func startPhase() {
        latency.reset()
        for index in workloadLatency.indices { workloadLatency[index].reset() }
        phaseReceived = 0
    }

    package var snapshot: LoopSnapshot {
        LoopSnapshot(
            workloadCounts: workloadCounts,
            workloadLatency: workloadLatency,
            latency: latency,
            phaseReceived: phaseReceived,
            lastDeliveryAt: lastDeliveryAt,
            errorSamples: errorSamples,
            delta: delta
        )
    }
}

@available(*, unavailable)
extension LoopRecorder: Sendable {}

/// A copy of a ``LoopRecorder`` taken on its loop, to merge with the others (and, through its
/// `Codable` form, with other worker processes').
package struct LoopSnapshot: Sendable, Codable {
    /// Counters per workload; empty for a merge of nothing.
    package var workloadCounts: [DeliveryCounts] = []
    /// Latency per workload; empty for a single workload.
    package var workloadLatency: [LatencyHistogram] = []
    package var latency = LatencyHistogram()
    package var phaseReceived: Int64 = 0
    package var lastDeliveryAt: UInt64 = 0
    package var errorSamples: [String] = []
    package var delta = DeltaTally()
    /// Why part of the subscribers could not be read (a worker process that died); each fails the run.
    package var failures: [String] = []
    /// The worker processes' CPU and memory over the measured phase, in worker order (runs with
    /// workers only).
    package var processes: [ProcessUsage] = []

    package init(
        workloadCounts: [DeliveryCounts] = [],
        workloadLatency: [LatencyHistogram] = [],
        latency: LatencyHistogram = LatencyHistogram(),
        phaseReceived: Int64 = 0,
        lastDeliveryAt: UInt64 = 0,
        errorSamples: [String] = [],
        delta: DeltaTally = DeltaTally()
    ) {
        self.workloadCounts = workloadCounts
        self.workloadLatency = workloadLatency
        self.latency = latency
        self.phaseReceived = phaseReceived
        self.lastDeliveryAt = lastDeliveryAt
        self.errorSamples = errorSamples
        self.delta = delta
    }

    /// The counters summed over workloads.
    package var counts: DeliveryCounts { workloadCounts.reduce(DeliveryCounts(), +) }

    /// Delta tallies stay in their process: runs with workers take no deltas.
    enum CodingKeys: String, CodingKey {
        case workloadCounts, workloadLatency, latency, phaseReceived, lastDeliveryAt, errorSamples, failures
        case processes
    }

    package static func merged(_ snapshots: [LoopSnapshot]) -> LoopSnapshot {
        snapshots.reduce(into: LoopSnapshot()) { total, next in
            total.workloadCounts =
                total.workloadCounts.isEmpty
                ? next.workloadCounts : zip(total.workloadCounts, next.workloadCounts).map { $0 + $1 }
            total.workloadLatency =
                total.workloadLatency.isEmpty
                ? next.workloadLatency
                : zip(total.workloadLatency, next.workloadLatency).map { sum, other in
                    var merged = sum
                    merged.add(other)
                    return merged
                }
            total.latency.add(next.latency)
            total.phaseReceived += next.phaseReceived
            total.lastDeliveryAt = max(total.lastDeliveryAt, next.lastDeliveryAt)
            total.errorSamples += next.errorSamples
            total.delta.add(next.delta)
            total.failures += next.failures
            total.processes += next.processes
        }
    }
}
