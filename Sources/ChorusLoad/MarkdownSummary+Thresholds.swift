extension MarkdownSummary {
    /// The scenario's thresholds with what the run measured against each.
    var thresholdLines: [String] {
        guard let thresholds = report.thresholds else { return [] }
        return ["", "| threshold | wanted | measured | verdict |", "| --- | --- | --- | --- |"]
            + thresholds.map { verdict in
                let measured = verdict.measured.map(Figure.text) ?? "not measured"
                let mark = verdict.passed ? "pass" : "**\(verdict.outcome == .failed ? "FAIL" : "not measured")**"
                return
                    "| \(verdict.metric) | \(verdict.comparison) \(Figure.text(verdict.limit)) | \(measured) | \(mark) |"
            }
    }
}
