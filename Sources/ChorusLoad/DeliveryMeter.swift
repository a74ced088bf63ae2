/// Where a run reads what its subscribers received: the event loops of this process
/// (``LoadMeter``), or the worker processes that hold the subscribers (``WorkerMeter``).
protocol DeliveryMeter: Sendable {
    /// The delivery counters summed over every subscriber.
    func counts() async -> DeliveryCounts
    /// What arrived since the previous call, merged; starts the next interval.
    func takeInterval() async -> IntervalReading
    /// The current phase's delivery latency so far, merged (cheaper than a snapshot); empty where
    /// it is not known until the end (workers).
    func latency() async -> LatencyHistogram
    /// Restarts latency recording and phase counters.
    func startPhase() async
    /// Returns once the delta reference subscribers hold `expected` messages in all, or `timeout`
    /// seconds passed.
    func waitForDeltaReferences(_ expected: Int, timeout: Double) async
    /// Everything recorded, merged: the run's last reading.
    func snapshot() async -> LoopSnapshot
}

extension DeliveryMeter {
    /// Returns once `expected` unique deliveries arrived or `timeout` seconds passed.
    func waitForDeliveries(_ expected: Int64, timeout: Double) async {
        let deadline = MonotonicClock.now() + UInt64(timeout * 1e9)
        while MonotonicClock.now() < deadline {
            if await counts().unique >= expected { return }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
    }
}
