extension MarkdownSummary {
    /// The history check (storage loss next to delivery loss) and the publish latency with history
    /// against without.
    var historyLines: [String] {
        guard let history = report.history else { return [] }
        let f = Figure.text as (Double) -> String
        var lines = [
            "",
            "History check (every acknowledged event read back from each channel's history):",
            "",
            "| history | channels | acknowledged | stored | storage lost | duplicated | out of order "
                + "| stored unacknowledged | publish p50 / p99 (ms) |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        func row(_ name: String, _ h: HistoryFigures, _ p50: Double?, _ p99: Double?) -> String {
            "| \(name) | \(h.channels) | \(h.acknowledged) | \(h.stored) | \(h.missing) | \(h.duplicates) "
                + "| \(h.disorder) | \(h.unacknowledged) | \(p50.map(f) ?? "–") / \(p99.map(f) ?? "–") |"
        }
        for workload in report.workloads ?? [] {
            guard let figures = workload.history else { continue }
            lines.append(row(workload.name, figures, workload.publishP50Milliseconds, workload.publishP99Milliseconds))
        }
        lines.append(
            row(
                "all",
                history,
                report.workloads == nil ? report.publishing.requestP50Milliseconds : nil,
                report.workloads == nil ? report.publishing.requestP99Milliseconds : nil
            )
        )
        if let latency = report.historyLatency {
            lines += [
                "",
                "Publish request latency with history / without: p50 \(f(latency.withHistoryP50Milliseconds)) / "
                    + "\(f(latency.withoutHistoryP50Milliseconds)) ms (ratio \(f(latency.p50Ratio))), "
                    + "p99 \(f(latency.withHistoryP99Milliseconds)) / \(f(latency.withoutHistoryP99Milliseconds)) ms "
                    + "(ratio \(f(latency.p99Ratio))).",
            ]
        }
        return lines
    }
}
