/// What the connections of one event loop observed; touched only on that loop, so no locks.
///
/// Counters cover the whole run (loss is judged over every event); the latency histogram and
/// ``phaseReceived`` cover the current phase, restarted by ``startPhase()`` after warm-up.
final class LoopRecorder {
    private(set) var counts = DeliveryCounts()
    private(set) var latency = LatencyHistogram()
    private(set) var phaseReceived: Int64 = 0
    /// Monotonic time of the latest delivery, 0 before any.
    private(set) var lastDeliveryAt: UInt64 = 0

    init() {}

    func recordDelivery(_ payload: EventPayload, receivedAt: UInt64, outcome: SequenceTracker.Outcome) {
        counts.received += 1
        phaseReceived += 1
        lastDeliveryAt = receivedAt
        switch outcome {
        case .inOrder, .skippedAhead: counts.unique += 1
        case .late:
            counts.unique += 1
            counts.outOfOrder += 1
        case .duplicate: counts.duplicates += 1
        }
        latency.record(nanoseconds: receivedAt &- payload.sentAt)
    }

    func recordPresenceEvent() { counts.presenceEvents += 1 }

    /// The first few error messages, kept for the summary.
    private(set) var errorSamples: [String] = []

    func recordProtocolError(_ message: String) {
        counts.protocolErrors += 1
        if errorSamples.count < 5 { errorSamples.append(message) }
    }

    func recordUnexpectedClose() { counts.unexpectedCloses += 1 }

    /// Delta runs only.
    private(set) var delta = DeltaTally()
    /// Frames the loop's delta subscribers share (see ``DeltaFrameCache``).
    let deltaFrames = DeltaFrameCache()

    func recordDeltaMessage(_ text: [UInt8], key: DeltaTally.Key, frameBytes: Int, rebuilt: Bool) {
        delta.recordMessage(text, key: key, frameBytes: frameBytes, rebuilt: rebuilt)
    }

    func recordDeltaReference(_ text: [UInt8], key: DeltaTally.Key) { delta.recordReference(text, key: key) }

    func recordDeltaSyncError() { delta.syncErrors += 1 }

    func startPhase() {
        latency.reset()
        phaseReceived = 0
    }

    var snapshot: LoopSnapshot {
        LoopSnapshot(
            counts: counts,
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

/// A copy of a ``LoopRecorder`` taken on its loop, to merge with the others.
struct LoopSnapshot: Sendable {
    var counts = DeliveryCounts()
    var latency = LatencyHistogram()
    var phaseReceived: Int64 = 0
    var lastDeliveryAt: UInt64 = 0
    var errorSamples: [String] = []
    var delta = DeltaTally()

    static func merged(_ snapshots: [LoopSnapshot]) -> LoopSnapshot {
        snapshots.reduce(into: LoopSnapshot()) { total, next in
            total.counts = total.counts + next.counts
            total.latency.add(next.latency)
            total.phaseReceived += next.phaseReceived
            total.lastDeliveryAt = max(total.lastDeliveryAt, next.lastDeliveryAt)
            total.errorSamples += next.errorSamples
            total.delta.add(next.delta)
        }
    }
}
