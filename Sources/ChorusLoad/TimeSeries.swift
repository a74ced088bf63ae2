/// A run's measured phase sampled every few seconds: throughput, latency of each interval, open
/// connections and, with a server pid, the server's memory, descriptors and CPU; plus the growth
/// trend of memory and descriptors over the second half.
public struct TimeSeries: Sendable, Hashable, Codable {
    /// One interval's figures, stamped with its end.
    public struct Point: Sendable, Hashable, Codable {
        /// Seconds since the measured phase began.
        public var seconds: Double
        public var deliveriesPerSecond: Double
        /// Latency percentiles of the deliveries in this interval only (0 when none arrived).
        public var p50Milliseconds: Double
        public var p99Milliseconds: Double
        /// Connections opened minus those the server closed so far.
        public var openConnections: Int
        public var serverRSSMiB: Double?
        /// Entries of `/proc/<pid>/fd`.
        public var serverDescriptors: Int?
        /// Server CPU over the interval, in percent of one core.
        public var serverCPUPercent: Double?
        public var generatorRSSMiB: Double?

        public init(
            seconds: Double,
            deliveriesPerSecond: Double,
            p50Milliseconds: Double,
            p99Milliseconds: Double,
            openConnections: Int,
            serverRSSMiB: Double? = nil,
            serverDescriptors: Int? = nil,
            serverCPUPercent: Double? = nil,
            generatorRSSMiB: Double? = nil
        ) {
            self.seconds = seconds
            self.deliveriesPerSecond = deliveriesPerSecond
            self.p50Milliseconds = p50Milliseconds
            self.p99Milliseconds = p99Milliseconds
            self.openConnections = openConnections
            self.serverRSSMiB = serverRSSMiB
            self.serverDescriptors = serverDescriptors
            self.serverCPUPercent = serverCPUPercent
            self.generatorRSSMiB = generatorRSSMiB
        }

        enum CodingKeys: String, CodingKey {
            case seconds
            case deliveriesPerSecond = "deliveries_per_second", p50Milliseconds = "p50_ms", p99Milliseconds = "p99_ms"
            case openConnections = "open_connections", serverRSSMiB = "server_rss_mib"
            case serverDescriptors = "server_fds", serverCPUPercent = "server_cpu_percent"
            case generatorRSSMiB = "generator_rss_mib"
        }
    }

    /// Least-squares growth over the second half of the run, per hour.
    public struct Trend: Sendable, Hashable, Codable {
        /// Where the fitted half begins, in seconds since the phase began (it ends with the series).
        public var fromSeconds: Double
        /// Points fitted.
        public var points: Int
        public var rssMiBPerHour: Double?
        public var descriptorsPerHour: Double?

        public init(fromSeconds: Double, points: Int, rssMiBPerHour: Double?, descriptorsPerHour: Double?) {
            self.fromSeconds = fromSeconds
            self.points = points
            self.rssMiBPerHour = rssMiBPerHour
            self.descriptorsPerHour = descriptorsPerHour
        }

        enum CodingKeys: String, CodingKey {
            case fromSeconds = "from_seconds", points
            case rssMiBPerHour = "rss_mib_per_hour", descriptorsPerHour = "fds_per_hour"
        }
    }

    public var intervalSeconds: Double
    public var points: [Point]
    /// `nil` when the second half holds fewer than ``TrendFit/minimumPoints`` points.
    public var trend: Trend?

    public init(intervalSeconds: Double, points: [Point]) {
        self.intervalSeconds = intervalSeconds
        self.points = points
        self.trend = TrendFit.secondHalf(of: points)
    }

    /// How much a line growing `growth` per hour rises across the trend's fitted half.
    public func rise(perHour growth: Double) -> Double {
        guard let trend, let end = points.last?.seconds else { return 0 }
        return growth * (end - trend.fromSeconds) / 3_600
    }

    enum CodingKeys: String, CodingKey {
        case intervalSeconds = "interval_seconds", points, trend
    }
}
