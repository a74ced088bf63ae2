/// A limit on one figure of a run, from a scenario's `thresholds` (k6 style): the run fails when
/// the figure is not within it, or was not measured.
public struct Threshold: Sendable, Hashable {
    /// How the measured figure must relate to the limit.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case below = "<"
        case atMost = "<="
        case above = ">"
        case atLeast = ">="
        case equal = "=="

        /// Whether `measured` satisfies this comparison with `limit`.
        public func holds(_ measured: Double, _ limit: Double) -> Bool {
            switch self {
            case .below: measured < limit
            case .atMost: measured <= limit
            case .above: measured > limit
            case .atLeast: measured >= limit
            case .equal: measured == limit
            }
        }
    }

    public var metric: ThresholdMetric
    public var comparison: Comparison
    public var limit: Double

    public init(metric: ThresholdMetric, comparison: Comparison, limit: Double) {
        self.metric = metric
        self.comparison = comparison
        self.limit = limit
    }

    /// Reads one entry of `thresholds`: `metric` must be a ``ThresholdMetric`` name, `text` a bare
    /// number (the metric's ``ThresholdMetric/naturalComparison``) or an operator and a number
    /// (`"<= 250"`, `">=40000"`). Throws the reason a bad entry is rejected.
    public init(metric name: String, text: String) throws(ThresholdError) {
        guard let metric = ThresholdMetric(rawValue: name) else { throw .unknownMetric }
        let trimmed = text.trimmingWhitespace
        // Two-character operators first, so `<=` is not read as `<` followed by `=250`.
        let written = Comparison.allCases.sorted { $0.rawValue.count > $1.rawValue.count }
            .first { trimmed.hasPrefix($0.rawValue) }
        let number = String(trimmed.dropFirst(written?.rawValue.count ?? 0)).trimmingWhitespace
        guard let limit = Double(number), limit.isFinite else { throw .badValue(text) }
        self.init(metric: metric, comparison: written ?? metric.naturalComparison, limit: limit)
    }

    /// `<= 250`.
    public var wanted: String { "\(comparison.rawValue) \(Figure.text(limit))" }
}

/// Why an entry of `thresholds` is rejected; ``ScenarioParser`` names the field.
public enum ThresholdError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownMetric
    case badValue(String)

    public var description: String {
        switch self {
        case .unknownMetric: "unknown metric; known: \(ThresholdMetric.names)"
        case .badValue(let text):
            "must be a number, or an operator (\(Threshold.Comparison.allCases.map(\.rawValue).joined(separator: ", "))) "
                + "and a number such as \">= 40000\", got '\(text)'"
        }
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
