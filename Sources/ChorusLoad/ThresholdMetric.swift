/// A figure of a ``LoadReport`` that a scenario's `thresholds` can limit and `chorus load compare`
/// sets side by side; the raw value is its name in scenario files.
public enum ThresholdMetric: String, Sendable, Hashable, CaseIterable {
    case deliveryP50 = "delivery_p50_ms"
    case deliveryP90 = "delivery_p90_ms"
    case deliveryP99 = "delivery_p99_ms"
    case deliveryP999 = "delivery_p999_ms"
    case deliveryMax = "delivery_max_ms"
    case deliveryMean = "delivery_mean_ms"
    case deliveriesPerSecond = "deliveries_per_second"
    case lost
    case duplicates
    case outOfOrder = "out_of_order"
    case connectP50 = "connect_p50_ms"
    case connectP99 = "connect_p99_ms"
    case connectSeconds = "connect_seconds"
    case connectsPerSecond = "connects_per_second"
    case connectErrors = "connect_errors"
    case publishP50 = "publish_p50_ms"
    case publishP99 = "publish_p99_ms"
    case publishedPerSecond = "published_per_second"
    case publishErrors = "publish_errors"
    case protocolErrors = "protocol_errors"
    case unexpectedCloses = "unexpected_closes"
    case serverCPU = "server_cpu_percent"
    case serverRSS = "server_rss_mib"
    case serverPeakRSS = "server_peak_rss_mib"
    case serverRSSGrowth = "server_rss_growth_mib_per_hour"
    case serverDescriptorGrowth = "server_fd_growth_per_hour"

    /// Every name, for error messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Whether more is better: rates are, everything else (latencies, counts, usage) is not.
    public var higherIsBetter: Bool {
        switch self {
        case .deliveriesPerSecond, .connectsPerSecond, .publishedPerSecond: true
        default: false
        }
    }

    /// What a bare number means: at least it for rates, at most it for the rest.
    public var naturalComparison: Threshold.Comparison { higherIsBetter ? .atLeast : .atMost }

    /// Why the metric can be missing from a run, said when a threshold on it is not measured.
    public var requirement: String {
        switch self {
        case .deliveryP50, .deliveryP90, .deliveryP99, .deliveryP999, .deliveryMax, .deliveryMean:
            "no delivery was measured"
        case .connectP50, .connectP99, .connectsPerSecond: "no connection was opened"
        case .publishP50, .publishP99: "no HTTP publish request was made"
        case .serverCPU, .serverRSS, .serverPeakRSS: "needs --server-pid"
        case .serverRSSGrowth, .serverDescriptorGrowth:
            "needs --server-pid and a time series with at least three points in its second half"
        default: "not in the report"
        }
    }

    /// The figure in `report`, `nil` when the run did not measure it.
    public func value(in report: LoadReport) -> Double? {
        let latency = report.latency.count > 0 ? report.latency : nil
        let connections = report.connections.opened > 0 ? report.connections : nil
        let publishing = report.publishing.requests > 0 ? report.publishing : nil
        switch self {
        case .deliveryP50: return latency?.p50
        case .deliveryP90: return latency?.p90
        case .deliveryP99: return latency?.p99
        case .deliveryP999: return latency?.p999
        case .deliveryMax: return latency?.max
        case .deliveryMean: return latency?.mean
        case .deliveriesPerSecond: return report.deliveries.perSecond
        case .lost: return Double(report.deliveries.lost)
        case .duplicates: return Double(report.deliveries.duplicates)
        case .outOfOrder: return Double(report.deliveries.outOfOrder)
        case .connectP50: return connections?.handshakeP50Milliseconds
        case .connectP99: return connections?.handshakeP99Milliseconds
        case .connectSeconds: return report.connections.seconds
        case .connectsPerSecond:
            guard let connections, connections.seconds > 0 else { return nil }
            return Double(connections.opened) / connections.seconds
        case .connectErrors: return Double(report.errors.connect)
        case .publishP50: return publishing?.requestP50Milliseconds
        case .publishP99: return publishing?.requestP99Milliseconds
        case .publishedPerSecond: return report.publishing.eventsPerSecond
        case .publishErrors: return Double(report.errors.publish)
        case .protocolErrors: return Double(report.errors.protocolErrors)
        case .unexpectedCloses: return Double(report.errors.unexpectedCloses)
        case .serverCPU: return report.server?.cpuPercent
        case .serverRSS: return report.server?.rssMiB
        case .serverPeakRSS: return report.server?.peakRSSMiB
        case .serverRSSGrowth: return report.timeSeries?.trend?.rssMiBPerHour
        case .serverDescriptorGrowth: return report.timeSeries?.trend?.descriptorsPerHour
        }
    }
}
