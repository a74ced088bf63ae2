public import Histogram

/// Delivery latencies in microseconds, 1 µs to 60 s at three significant digits, as an
/// HdrHistogram; one per event loop, merged at the end.
///
/// Its `Codable` form is the HdrHistogram's own, every bucket count included, so histograms sent
/// between processes (`chorus load --workers`) merge exactly as if recorded in one.
public struct LatencyHistogram: Sendable, Codable {
    /// The largest latency kept exactly; longer ones are recorded as this.
    public static let highestMicroseconds: UInt64 = 60_000_000

    public private(set) var histogram = Histogram<UInt64>(
        lowestDiscernibleValue: 1,
        highestTrackableValue: highestMicroseconds,
        numberOfSignificantValueDigits: .three
    )

    public init() {}

    /// Records one latency given in nanoseconds.
    public mutating func record(nanoseconds: UInt64) {
        let micros = min(max(nanoseconds / 1_000, 1), Self.highestMicroseconds)
        _ = histogram.record(micros)
    }

    public mutating func add(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
    }

    public mutating func reset() {
        histogram.reset()
    }

    public var count: UInt64 { histogram.totalCount }

    /// The latency at `percentile` (0–100) in milliseconds.
    public func milliseconds(atPercentile percentile: Double) -> Double {
        count == 0 ? 0 : Double(histogram.valueAtPercentile(percentile)) / 1_000
    }

    /// The summary a report keeps.
    public var summary: LatencySummary {
        LatencySummary(
            p50: milliseconds(atPercentile: 50),
            p90: milliseconds(atPercentile: 90),
            p99: milliseconds(atPercentile: 99),
            p999: milliseconds(atPercentile: 99.9),
            max: count == 0 ? 0 : Double(histogram.max) / 1_000,
            mean: count == 0 ? 0 : histogram.mean / 1_000,
            count: Int(count),
            curve: curve
        )
    }

    /// Percentile → latency points for the plot: 0, 50, 75, 87.5, … up to 99.999 and the maximum.
    public var curve: [LatencySummary.Point] {
        guard count > 0 else { return [] }
        var points: [LatencySummary.Point] = []
        var remaining = 100.0
        var percentile = 0.0
        while percentile < 99.999 {
            points.append(.init(percentile: percentile, milliseconds: milliseconds(atPercentile: percentile)))
            remaining /= 2
            percentile = 100 - remaining
        }
        points.append(.init(percentile: 100, milliseconds: Double(histogram.max) / 1_000))
        return points
    }
}

/// Latency percentiles in milliseconds.
public struct LatencySummary: Sendable, Hashable, Codable {
    /// One point of the percentile curve.
    public struct Point: Sendable, Hashable, Codable {
        public var percentile: Double
        public var milliseconds: Double

        public init(percentile: Double, milliseconds: Double) {
            self.percentile = percentile
            self.milliseconds = milliseconds
        }
    }

    public var count: Int
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double
    public var max: Double
    public var mean: Double
    public var curve: [Point]

    public init(
        p50: Double,
        p90: Double,
        p99: Double,
        p999: Double,
        max: Double,
        mean: Double,
        count: Int,
        curve: [Point]
    ) {
        self.count = count
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.p999 = p999
        self.max = max
        self.mean = mean
        self.curve = curve
    }

    enum CodingKeys: String, CodingKey {
        case count, p50, p90, p99, p999 = "p99_9", max, mean, curve
    }
}
