/// What a run measured against one ``Threshold``: the `thresholds` entries of the JSON report, the
/// summary's threshold table and the JUnit test cases.
public struct ThresholdVerdict: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case passed = "pass"
        case failed = "fail"
        /// The run did not measure the figure (e.g. server RSS without `--server-pid`); fails the run.
        case notMeasured = "not_measured"
    }

    /// The ``ThresholdMetric`` name.
    public var metric: String
    /// `<`, `<=`, `>`, `>=` or `==`.
    public var comparison: String
    public var limit: Double
    /// `nil` when not measured.
    public var measured: Double?
    public var outcome: Outcome

    public init(_ threshold: Threshold, report: LoadReport) {
        metric = threshold.metric.rawValue
        comparison = threshold.comparison.rawValue
        limit = threshold.limit
        measured = threshold.metric.value(in: report)
        if let measured {
            outcome = threshold.comparison.holds(measured, threshold.limit) ? .passed : .failed
        } else {
            outcome = .notMeasured
        }
    }

    public var passed: Bool { outcome == .passed }

    /// `measured 300, wanted <= 250`, or `not measured (needs --server-pid), wanted <= 500`.
    public var message: String {
        let wanted = "wanted \(comparison) \(Figure.text(limit))"
        guard let measured else {
            let requirement = ThresholdMetric(rawValue: metric)?.requirement ?? "not in the report"
            return "not measured (\(requirement)), \(wanted)"
        }
        return "measured \(Figure.text(measured)), \(wanted)"
    }

    enum CodingKeys: String, CodingKey {
        case metric, limit, measured
        case comparison = "operator", outcome = "verdict"
    }
}
