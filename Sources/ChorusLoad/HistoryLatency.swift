/// Publish request latency with history against without, in one run: the HTTP workloads whose
/// history is checked (their channels keep history) against the HTTP workloads whose history is
/// not (channels without history), e.g. `hist-*` and `nohist-*` in `history-10k`.
public struct HistoryLatency: Sendable, Hashable, Codable {
    public var withHistoryP50Milliseconds: Double
    public var withHistoryP99Milliseconds: Double
    public var withoutHistoryP50Milliseconds: Double
    public var withoutHistoryP99Milliseconds: Double

    public init(with: LatencyHistogram, without: LatencyHistogram) {
        withHistoryP50Milliseconds = with.milliseconds(atPercentile: 50)
        withHistoryP99Milliseconds = with.milliseconds(atPercentile: 99)
        withoutHistoryP50Milliseconds = without.milliseconds(atPercentile: 50)
        withoutHistoryP99Milliseconds = without.milliseconds(atPercentile: 99)
    }

    /// With history over without, at p50 (the goal: at most 1.10).
    public var p50Ratio: Double { Self.ratio(withHistoryP50Milliseconds, withoutHistoryP50Milliseconds) }
    public var p99Ratio: Double { Self.ratio(withHistoryP99Milliseconds, withoutHistoryP99Milliseconds) }

    private static func ratio(_ with: Double, _ without: Double) -> Double { without > 0 ? with / without : 0 }

    enum CodingKeys: String, CodingKey {
        case withHistoryP50Milliseconds = "with_history_p50_ms", withHistoryP99Milliseconds = "with_history_p99_ms"
        case withoutHistoryP50Milliseconds = "without_history_p50_ms"
        case withoutHistoryP99Milliseconds = "without_history_p99_ms"
        case p50Ratio = "p50_ratio", p99Ratio = "p99_ratio"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        withHistoryP50Milliseconds = try container.decode(Double.self, forKey: .withHistoryP50Milliseconds)
        withHistoryP99Milliseconds = try container.decode(Double.self, forKey: .withHistoryP99Milliseconds)
        withoutHistoryP50Milliseconds = try container.decode(Double.self, forKey: .withoutHistoryP50Milliseconds)
        withoutHistoryP99Milliseconds = try container.decode(Double.self, forKey: .withoutHistoryP99Milliseconds)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(withHistoryP50Milliseconds, forKey: .withHistoryP50Milliseconds)
        try container.encode(withHistoryP99Milliseconds, forKey: .withHistoryP99Milliseconds)
        try container.encode(withoutHistoryP50Milliseconds, forKey: .withoutHistoryP50Milliseconds)
        try container.encode(withoutHistoryP99Milliseconds, forKey: .withoutHistoryP99Milliseconds)
        try container.encode(p50Ratio, forKey: .p50Ratio)
        try container.encode(p99Ratio, forKey: .p99Ratio)
    }
}
