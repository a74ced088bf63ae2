/// The history check and the time series parts of a run's summary, shared by ``MarkdownSummary``
/// and ``HTMLSummary``.
extension LoadReport {
    /// Storage loss next to delivery loss, per checked workload and over all; `nil` unless a
    /// workload has the history check.
    package var historyTable: SummaryTable? {
        guard let history else { return nil }
        let f = Figure.text as (Double) -> String
        func row(_ name: String, _ h: HistoryFigures, _ p50: Double?, _ p99: Double?) -> [String] {
            [
                name, "\(h.channels)", "\(h.acknowledged)", "\(h.stored)", "\(h.missing)", "\(h.duplicates)",
                "\(h.disorder)", "\(h.unacknowledged)", "\(p50.map(f) ?? "–") / \(p99.map(f) ?? "–")",
            ]
        }
        var rows: [[String]] = []
        for workload in workloads ?? [] {
            guard let figures = workload.history else { continue }
            rows.append(row(workload.name, figures, workload.publishP50Milliseconds, workload.publishP99Milliseconds))
        }
        rows.append(
            row(
                "all",
                history,
                workloads == nil ? publishing.requestP50Milliseconds : nil,
                workloads == nil ? publishing.requestP99Milliseconds : nil
            )
        )
        return SummaryTable(
            header: [
                "history", "channels", "acknowledged", "stored", "storage lost", "duplicated", "out of order",
                "stored unacknowledged", "publish p50 / p99 (ms)",
            ],
            rows: rows
        )
    }

    /// Publish latency with history against without; `nil` unless the run measured both.
    package var historyLatencyText: String? {
        guard let latency = historyLatency else { return nil }
        let f = Figure.text as (Double) -> String
        return "Publish request latency with history / without: p50 \(f(latency.withHistoryP50Milliseconds)) / "
            + "\(f(latency.withoutHistoryP50Milliseconds)) ms (ratio \(f(latency.p50Ratio))), "
            + "p99 \(f(latency.withHistoryP99Milliseconds)) / \(f(latency.withoutHistoryP99Milliseconds)) ms "
            + "(ratio \(f(latency.p99Ratio)))."
    }

    /// The time series thinned to ``timeSeriesRows`` rows; `nil` without a series.
    package var timeSeriesTable: SummaryTable? {
        guard let series = timeSeries, !series.points.isEmpty else { return nil }
        let f = Figure.text as (Double) -> String
        let optional = { (value: Double?) in value.map(f) ?? "–" }
        return SummaryTable(
            header: [
                "t (s)", "deliveries/s", "p50 (ms)", "p99 (ms)", "open conns", "server RSS (MiB)", "server fds",
                "server CPU %",
            ],
            rows: Self.thinned(series.points, to: Self.timeSeriesRows).map { point in
                [
                    f(point.seconds.rounded()), f(point.deliveriesPerSecond.rounded()), f(point.p50Milliseconds),
                    f(point.p99Milliseconds), "\(point.openConnections)", optional(point.serverRSSMiB),
                    point.serverDescriptors.map(String.init) ?? "–", optional(point.serverCPUPercent?.rounded()),
                ]
            }
        )
    }

    /// What the time series table shows, e.g. `Over time (every 1 s; 30 points, thinned):`.
    package var timeSeriesCaption: String? {
        guard let series = timeSeries, !series.points.isEmpty else { return nil }
        return "Over time (every \(Figure.text(series.intervalSeconds)) s; \(series.points.count) points, thinned):"
    }

    /// The growth fitted over the second half of the time series, or why there is none.
    package var trendText: String? {
        guard let series = timeSeries, !series.points.isEmpty else { return nil }
        let f = Figure.text as (Double) -> String
        let optional = { (value: Double?) in value.map(f) ?? "–" }
        guard let trend = series.trend else { return "Trend: too few points in the second half to fit." }
        return "Trend over the second half (from \(f(trend.fromSeconds.rounded())) s, \(trend.points) points, "
            + "least squares): server RSS \(optional(trend.rssMiBPerHour)) MiB/h, "
            + "descriptors \(optional(trend.descriptorsPerHour))/h."
    }

    /// `count` points spread evenly over `points`, always keeping the first and the last.
    static func thinned(_ points: [TimeSeries.Point], to count: Int) -> [TimeSeries.Point] {
        guard points.count > count, count > 1 else { return points }
        return (0..<count).map { points[$0 * (points.count - 1) / (count - 1)] }
    }
}
