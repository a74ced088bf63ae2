import NIOCore

/// Reads the per-loop recorders from outside their loops (by submitting to each loop) and merges.
struct LoadMeter: DeliveryMeter {
    let loops: [any EventLoop]
    let recorders: [NIOLoopBound<LoopRecorder>]

    /// Every loop's recorder merged.
    func snapshot() async -> LoopSnapshot {
        var snapshots: [LoopSnapshot] = []
        for (loop, recorder) in zip(loops, recorders) {
            if let snapshot = try? await loop.submit({ recorder.value.snapshot }).get() { snapshots.append(snapshot) }
        }
        return LoopSnapshot.merged(snapshots)
    }

    /// The delivery counters summed over loops (cheaper than a full snapshot).
    func counts() async -> DeliveryCounts {
        var total = DeliveryCounts()
        for (loop, recorder) in zip(loops, recorders) {
            if let counts = try? await loop.submit({ recorder.value.counts }).get() { total = total + counts }
        }
        return total
    }

    func latency() async -> LatencyHistogram {
        var total = LatencyHistogram()
        for (loop, recorder) in zip(loops, recorders) {
            if let latency = try? await loop.submit({ recorder.value.latency }).get() { total.add(latency) }
        }
        return total
    }

    /// Rebuilt messages are compared with the references once the run ends.
    func waitForDeltaReferences(_ expected: Int, timeout: Double) async {
        let deadline = MonotonicClock.now() + UInt64(timeout * 1e9)
        while MonotonicClock.now() < deadline {
            var held = 0
            for (loop, recorder) in zip(loops, recorders) {
                held += (try? await loop.submit({ recorder.value.delta.referenceCount }).get()) ?? 0
            }
            if held >= expected { return }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
    }

    /// What every loop received since the previous call, merged; starts the next interval.
    func takeInterval() async -> IntervalReading {
        var total = IntervalReading()
        for (loop, recorder) in zip(loops, recorders) {
            if let reading = try? await loop.submit({ recorder.value.takeInterval() }).get() { total.add(reading) }
        }
        return total
    }

    /// Restarts latency recording and phase counters on every loop.
    func startPhase() async {
        for (loop, recorder) in zip(loops, recorders) {
            try? await loop.submit { recorder.value.startPhase() }.get()
        }
    }
}
