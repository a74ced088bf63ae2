extension MarkdownSummary {
    /// The most rows the time series table shows; longer series are thinned evenly.
    static let timeSeriesRows = 13

    /// The per-workload table, for runs of several workloads.
    var workloadLines: [String] {
        guard let workloads = report.workloads else { return [] }
        var lines = [
            "",
            "| workload | subscribers | channels | source | events/s | payload (B) | events | expected | lost | duplicated | out of order | p50 / p99 (ms) |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for w in workloads {
            let sizes = w.payloadBytes.map(String.init).joined(separator: ", ")
            lines.append(
                "| \(w.name) | \(w.subscribers) | \(w.channels) \(w.channelKind) | \(w.source) | \(Figure.text(w.rate)) "
                    + "| \(sizes) | \(w.events) | \(w.expected) | \(w.lost) | \(w.duplicates) | \(w.outOfOrder) "
                    + "| \(w.p50Milliseconds.map(Figure.text) ?? "–") / \(w.p99Milliseconds.map(Figure.text) ?? "–") |"
            )
        }
        return lines
    }

    /// The time series thinned to a table, and the growth trend.
    var timeSeriesLines: [String] {
        guard let series = report.timeSeries, !series.points.isEmpty else { return [] }
        let f = Figure.text as (Double) -> String
        let optional = { (value: Double?) in value.map(f) ?? "–" }
        var lines = [
            "",
            "Over time (every \(f(series.intervalSeconds)) s; \(series.points.count) points, thinned):",
            "",
            "| t (s) | deliveries/s | p50 (ms) | p99 (ms) | open conns | server RSS (MiB) | server fds | server CPU % |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for point in Self.thinned(series.points, to: Self.timeSeriesRows) {
            lines.append(
                "| \(f(point.seconds.rounded())) | \(f(point.deliveriesPerSecond.rounded())) "
                    + "| \(f(point.p50Milliseconds)) | \(f(point.p99Milliseconds)) | \(point.openConnections) "
                    + "| \(optional(point.serverRSSMiB)) | \(point.serverDescriptors.map(String.init) ?? "–") "
                    + "| \(optional(point.serverCPUPercent?.rounded())) |"
            )
        }
        lines.append("")
        if let trend = series.trend {
            lines.append(
                "Trend over the second half (from \(f(trend.fromSeconds.rounded())) s, \(trend.points) points, "
                    + "least squares): server RSS \(optional(trend.rssMiBPerHour)) MiB/h, "
                    + "descriptors \(optional(trend.descriptorsPerHour))/h."
            )
        } else {
            lines.append("Trend: too few points in the second half to fit.")
        }
        return lines
    }

    /// `count` points spread evenly over `points`, always keeping the first and the last.
    static func thinned(_ points: [TimeSeries.Point], to count: Int) -> [TimeSeries.Point] {
        guard points.count > count, count > 1 else { return points }
        return (0..<count).map { points[$0 * (points.count - 1) / (count - 1)] }
    }
}
