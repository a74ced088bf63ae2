import ChorusHTML

extension HTMLSummary {
    /// The regression gate against the baseline, when there is one.
    var baselineGate: BaselineComparison? {
        baseline.map { BaselineComparison(current: report, baseline: $0.report, tolerance: $0.tolerance) }
    }

    /// Beside the run's own verdict at the top: the gate's, when the run regressed.
    var headlineRegression: [HTML] {
        guard let gate = baselineGate, !gate.passed else { return [] }
        return [HTML(" · "), .verdict("REGRESSED", .fail), HTML(" against the baseline (see below).")]
    }

    /// The regression gate's checks (``BaselineComparison``), every figure of both runs side by side
    /// (``ReportComparison``) and both latency curves; empty without a baseline.
    var comparisonSection: [HTML] {
        guard let baseline, let gate = baselineGate else { return [] }
        let f = Figure.text as (Double) -> String
        let checks = gate.checks.map { check in
            HTMLTable.Row(
                [
                    HTML(check.name), HTML(f(check.baseline)), HTML(f(check.current)), HTML(f(check.limit)),
                    .verdict(check.passed ? "pass" : "REGRESSION", check.passed ? .pass : .fail),
                ],
                tone: check.passed ? .pass : .fail
            )
        }
        let sideBySide = ReportComparison(baseline.report, report, labels: (a: baseline.label, b: "this run"))
        let figures = sideBySide.rows.map { row in
            HTMLTable.Row(
                text: [
                    row.metric.rawValue, row.a.map(f) ?? "–", row.b.map(f) ?? "–",
                    row.changeText,
                ]
            )
        }
        return [
            HTML("h2", attributes: ["id": "baseline"], HTML("Compared with the baseline")),
            HTML(
                "p",
                .verdict(gate.passed ? "no regression" : "REGRESSED", gate.passed ? .pass : .fail),
                HTML(
                    " against \(baseline.label) (\(baseline.report.stamp)), tolerance \(f(baseline.tolerance))."
                )
            ),
            .columns([
                HTMLTable(
                    header: ["gated figure", "baseline", "this run", "limit", "verdict"],
                    rows: checks,
                    id: "baseline-checks"
                ).html + Self.plot(sideBySide.plot.svg),
                HTMLTable(
                    header: ["metric", "baseline", "this run", "change"],
                    rows: figures,
                    id: "baseline-figures"
                ).html,
            ]),
        ]
    }
}
