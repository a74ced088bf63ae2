import Foundation

/// Two run reports side by side (`chorus load compare A B`): every ``ThresholdMetric`` either run
/// measured, with the change from A to B, and both latency percentile curves in one plot.
///
/// It judges nothing (``BaselineComparison`` is the gate); it shows what changed.
public struct ReportComparison: Sendable {
    /// One metric of both runs; `nil` where a run did not measure it.
    public struct Row: Sendable, Hashable {
        public var metric: ThresholdMetric
        public var a: Double?
        public var b: Double?

        /// (B − A) / A in percent; `nil` when either is missing or A is 0.
        public var changePercent: Double? {
            guard let a, let b, a != 0 else { return nil }
            return (b - a) / abs(a) * 100
        }

        /// The change as the table prints it, `+12.5 %`, or `–` without one.
        public var changeText: String { changePercent.map { String(format: "%+.1f %%", $0) } ?? "–" }
    }

    /// The names the runs go by in the table and the legend (usually their file names).
    public var labels: (a: String, b: String)
    public var reports: (a: LoadReport, b: LoadReport)

    public init(_ a: LoadReport, _ b: LoadReport, labels: (a: String, b: String)) {
        self.reports = (a, b)
        self.labels = labels
    }

    public var rows: [Row] {
        ThresholdMetric.allCases.compactMap { metric in
            let row = Row(metric: metric, a: metric.value(in: reports.a), b: metric.value(in: reports.b))
            return row.a == nil && row.b == nil ? nil : row
        }
    }

    /// The rows as aligned text columns: metric, A, B, change.
    public var table: String {
        let header = ["metric", labels.a, labels.b, "change"]
        let cells = rows.map { row in
            [
                row.metric.rawValue, row.a.map(Figure.text) ?? "–", row.b.map(Figure.text) ?? "–",
                row.changeText,
            ]
        }
        let all = [header] + cells
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { line in
            line.enumerated().map { column, cell in
                column == 0
                    ? cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Both runs' delivery latency percentile curves.
    public var plot: LatencyPlot {
        LatencyPlot(
            title: "delivery latency: \(labels.a) vs \(labels.b)",
            series: [
                LatencyPlot.Series(label: "\(labels.a) (\(reports.a.stamp))", curve: reports.a.latency.curve),
                LatencyPlot.Series(label: "\(labels.b) (\(reports.b.stamp))", curve: reports.b.latency.curve),
            ]
        )
    }

    /// Where the plot goes unless told: beside B, `<B-stem>-vs-<A-stem>.svg`.
    public static func defaultPlotPath(a: String, b: String) -> String {
        let stem = { (path: String) in URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent }
        let directory = b.range(of: "/", options: .backwards).map { String(b[..<$0.upperBound]) } ?? ""
        return "\(directory)\(stem(b))-vs-\(stem(a)).svg"
    }
}
