/// Growth trends by ordinary least squares: the slope of the best straight line through the
/// points, which one noisy sample cannot swing the way a first-versus-last difference would.
public enum TrendFit {
    /// The fewest points a trend is fitted through.
    public static let minimumPoints = 3
    /// A growth verdict also needs the fitted line to rise more than this across the fitted half:
    /// in a short run one allocator step would otherwise extrapolate to a leak per hour.
    public static let rssFloorMiB = 8.0
    /// The same floor for open descriptors.
    public static let descriptorFloor = 10.0

    /// The slope of the least-squares line through `points` (y per unit of x); `nil` for fewer than
    /// ``minimumPoints`` points or when every x is the same.
    public static func slope(_ points: [(x: Double, y: Double)]) -> Double? {
        guard points.count >= minimumPoints else { return nil }
        let count = Double(points.count)
        let meanX = points.reduce(0) { $0 + $1.x } / count
        let meanY = points.reduce(0) { $0 + $1.y } / count
        var covariance = 0.0
        var variance = 0.0
        for point in points {
            covariance += (point.x - meanX) * (point.y - meanY)
            variance += (point.x - meanX) * (point.x - meanX)
        }
        return variance > 0 ? covariance / variance : nil
    }

    /// Server RSS and descriptor growth per hour over the second half of the series (the first half
    /// holds start-up: connection buffers, allocator arenas and caches filling).
    static func secondHalf(of points: [TimeSeries.Point]) -> TimeSeries.Trend? {
        guard let last = points.last else { return nil }
        let from = last.seconds / 2
        let half = points.filter { $0.seconds >= from }
        guard half.count >= minimumPoints else { return nil }
        func perHour(_ value: (TimeSeries.Point) -> Double?) -> Double? {
            let series = half.compactMap { point in value(point).map { (x: point.seconds, y: $0) } }
            return slope(series).map { $0 * 3_600 }
        }
        return TimeSeries.Trend(
            fromSeconds: from,
            points: half.count,
            rssMiBPerHour: perHour(\.serverRSSMiB),
            descriptorsPerHour: perHour { $0.serverDescriptors.map(Double.init) }
        )
    }
}
