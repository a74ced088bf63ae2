extension LoadReport {
    /// The run's delivery latency percentile curve, as `<stamp>.svg` and the run's page show it.
    package var latencyPlot: LatencyPlot {
        LatencyPlot(title: "\(scenario) \(stamp): delivery latency", curve: latency.curve)
    }

    /// The run over time, as `<stamp>-time.svg` and the run's page show it; `nil` without a time series.
    package var timeSeriesPlot: TimeSeriesPlot? {
        guard let series = timeSeries, !series.points.isEmpty else { return nil }
        return TimeSeriesPlot(title: "\(scenario) \(stamp): over time", series: series)
    }
}
