/// Compares a run with a committed baseline run of the same scenario: the CI regression gate.
///
/// A tolerance of `x` lets p99 latency grow to `(1 + x)` times the baseline's and deliveries/s
/// fall to `1 / (1 + x)` of it; loss is never tolerated unless the scenario expects it.
public struct BaselineComparison: Sendable, Hashable {
    /// One gated figure.
    public struct Check: Sendable, Hashable {
        public var name: String
        public var baseline: Double
        public var current: Double
        /// The worst value that still passes.
        public var limit: Double
        public var passed: Bool
    }

    public var checks: [Check]

    public var regressions: [Check] { checks.filter { !$0.passed } }
    public var passed: Bool { regressions.isEmpty }

    public init(current: LoadReport, baseline: LoadReport, tolerance: Double) {
        let growth = 1 + max(0, tolerance)
        let allowedLoss = current.setup.expectLoss ? Double(baseline.deliveries.lost) * growth : 0
        let lost = Double(current.deliveries.lost)
        let p99Limit = baseline.latency.p99 * growth
        let rateLimit = baseline.deliveries.perSecond / growth
        checks = [
            Check(
                name: "lost deliveries",
                baseline: Double(baseline.deliveries.lost),
                current: lost,
                limit: allowedLoss,
                passed: lost <= allowedLoss
            ),
            Check(
                name: "p99 latency (ms)",
                baseline: baseline.latency.p99,
                current: current.latency.p99,
                limit: p99Limit,
                passed: current.latency.p99 <= p99Limit
            ),
            Check(
                name: "deliveries/s",
                baseline: baseline.deliveries.perSecond,
                current: current.deliveries.perSecond,
                limit: rateLimit,
                passed: current.deliveries.perSecond >= rateLimit
            ),
        ]
    }

    /// One line per check, regressions marked.
    public var description: String {
        checks.map { check in
            let verdict = check.passed ? "ok" : "REGRESSION"
            return
                "\(verdict): \(check.name) \(format(check.current)) (baseline \(format(check.baseline)), limit \(format(check.limit)))"
        }.joined(separator: "\n")
    }

    private func format(_ value: Double) -> String { Figure.text(value) }
}
