/// What the subscribers of one event loop received during one sampling interval, merged over
/// loops (and worker processes) for a time series point.
package struct IntervalReading: Sendable, Codable {
    package var received: Int64 = 0
    package var latency = LatencyHistogram()

    package init() {}

    package mutating func record(nanoseconds: UInt64) {
        received += 1
        latency.record(nanoseconds: nanoseconds)
    }

    package mutating func add(_ other: IntervalReading) {
        received += other.received
        latency.add(other.latency)
    }
}
