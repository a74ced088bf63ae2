/// The human-readable summary of a run, written beside its JSON as `<stamp>.md`.
public struct MarkdownSummary: Sendable {
    public var report: LoadReport
    /// The plot's file name, linked from the summary.
    public var plotFile: String?
    /// The time series plot's file name, linked from the summary.
    public var timePlotFile: String?

    public init(report: LoadReport, plotFile: String? = nil, timePlotFile: String? = nil) {
        self.report = report
        self.plotFile = plotFile
        self.timePlotFile = timePlotFile
    }

    public var text: String {
        let r = report
        var lines = [
            "# \(r.scenario) — \(r.stamp)",
            "",
            "**\(r.passed ? "PASSED" : "FAILED")** against \(r.targetText) (app \(r.target.appID)).",
            "",
        ]
        if let targets = r.targetTable { lines += targets.markdownLines + [""] }
        lines += [r.setupText, ""] + r.latencyTable.markdownLines + [""] + r.figureTable.markdownLines
        if let workloads = r.workloadTable { lines += [""] + workloads.markdownLines }
        lines += historyLines + thresholdLines + timeSeriesLines
        if !r.failures.isEmpty {
            lines += ["", "Failures:"] + r.failures.map { "- \($0)" }
        }
        if !r.errors.samples.isEmpty {
            lines += ["", "Error samples:"] + r.errors.samples.map { "- `\($0)`" }
        }
        if let plotFile {
            lines += ["", "![latency percentiles](\(plotFile))"]
        }
        if let timePlotFile {
            lines += ["", "![over time](\(timePlotFile))"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private var historyLines: [String] {
        guard let table = report.historyTable else { return [] }
        return ["", "History check (every acknowledged event read back from each channel's history):", ""]
            + table.markdownLines + (report.historyLatencyText.map { ["", $0] } ?? [])
    }

    /// The threshold table, verdicts other than `pass` in bold.
    private var thresholdLines: [String] {
        guard var table = report.thresholdTable else { return [] }
        table.rows = table.rows.map { row in row.last == "pass" ? row : row.dropLast() + ["**\(row.last ?? "")**"] }
        return [""] + table.markdownLines
    }

    private var timeSeriesLines: [String] {
        guard let table = report.timeSeriesTable else { return [] }
        return ["", report.timeSeriesCaption ?? "", ""] + table.markdownLines + ["", report.trendText ?? ""]
    }
}
