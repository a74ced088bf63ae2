/// What the subscribers of one event loop received during one sampling interval, merged over
/// loops for a time series point.
struct IntervalReading: Sendable {
    var received: Int64 = 0
    var latency = LatencyHistogram()

    mutating func record(nanoseconds: UInt64) {
        received += 1
        latency.record(nanoseconds: nanoseconds)
    }

    mutating func add(_ other: IntervalReading) {
        received += other.received
        latency.add(other.latency)
    }
}
