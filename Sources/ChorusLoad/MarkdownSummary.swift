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
        let f = Figure.text as (Double) -> String
        var lines = [
            "# \(r.scenario) — \(r.stamp)",
            "",
            "**\(r.passed ? "PASSED" : "FAILED")** against \(targetText) (app \(r.target.appID)).",
            "",
        ]
        lines += targetLines
        lines += [
            "Setup: \(r.setup.subscribers) \(r.setup.channelKind) subscribers on \(r.setup.channels) channel(s), "
                + "\(r.setup.events) events (+\(r.setup.warmup) warm-up)"
                + (r.setup.durationSeconds.map { " over \(f($0)) s" } ?? "") + " via \(r.setup.source), "
                + "batch \(r.setup.batchSize), rate \(r.setup.rate == 0 ? "as fast as accepted" : "\(f(r.setup.rate))/s"), "
                + "\(r.setup.payloadBytes) B payload.",
            "",
            "| latency (ms) | p50 | p90 | p99 | p99.9 | max | mean |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            "| delivery | \(f(r.latency.p50)) | \(f(r.latency.p90)) | \(f(r.latency.p99)) | \(f(r.latency.p999)) "
                + "| \(f(r.latency.max)) | \(f(r.latency.mean)) |",
            "",
            "| figure | value |",
            "| --- | --- |",
            "| deliveries/s | \(f(r.deliveries.perSecond)) |",
            "| deliveries expected / unique | \(r.deliveries.expected) / \(r.deliveries.unique) |",
            "| lost / duplicated / out of order | \(r.deliveries.lost) / \(r.deliveries.duplicates) / \(r.deliveries.outOfOrder) |",
            "| events published (measured) | \(r.publishing.events) in \(f(r.publishing.seconds)) s "
                + "(\(f(r.publishing.eventsPerSecond))/s, \(r.publishing.requests) requests) |",
            "| publish request p50 / p99 (ms) | \(f(r.publishing.requestP50Milliseconds)) / \(f(r.publishing.requestP99Milliseconds)) |",
            "| connections opened / failed | \(r.connections.opened) / \(r.connections.failed) in \(f(r.connections.seconds)) s |",
            "| handshake p50 / p99 (ms) | \(f(r.connections.handshakeP50Milliseconds)) / \(f(r.connections.handshakeP99Milliseconds)) |",
            "| errors: connect / publish / protocol / closes | \(r.errors.connect) / \(r.errors.publish) / "
                + "\(r.errors.protocolErrors) / \(r.errors.unexpectedCloses) |",
        ]
        if r.deliveries.presenceEvents > 0 {
            lines.append("| presence member events seen | \(r.deliveries.presenceEvents) |")
        }
        if let delta = r.delta {
            lines += [
                "| delta (\(delta.mode)): messages / rebuilt from deltas | \(delta.messages) / \(delta.rebuilt) |",
                "| delta: compared with the full message / mismatches / not compared | \(delta.compared) / "
                    + "\(delta.mismatches) / \(delta.unreferenced) |",
                "| delta: sync errors | \(delta.syncErrors) |",
                "| delta: bytes received / as full messages / saved | \(delta.receivedBytes) / \(delta.fullBytes) / "
                    + "\(f(delta.bytesSavedPercent)) % |",
            ]
        }
        let workers = (r.workerUsage ?? []).enumerated().map { ("worker \($0)", Optional($1)) }
        if let count = r.workers { lines.append("| generator worker processes | \(count) |") }
        for (label, usage) in [("generator", r.generator), ("server", r.server)] + workers {
            guard let usage else { continue }
            lines.append(
                "| \(label) CPU / RSS (peak) | \(f(usage.cpuPercent)) % of a core / "
                    + "\(f(usage.rssMiB)) MiB (\(f(usage.peakRSSMiB)) MiB) |"
            )
        }
        lines += workloadLines + historyLines + thresholdLines + timeSeriesLines
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

    /// The server, or how many servers and which one was published to.
    private var targetText: String {
        let published = ServerAddress(host: report.target.host, port: report.target.port).description
        guard let targets = report.targets, targets.count > 1 else { return published }
        return "\(targets.count) servers, publishing to \(published)"
    }

    /// With several servers, what went to each.
    private var targetLines: [String] {
        guard let targets = report.targets, targets.count > 1 else { return [] }
        return ["| server | connections | checked subscribers | published to |", "| --- | --- | --- | --- |"]
            + targets.map { "| \($0.address) | \($0.connections) | \($0.subscribers) | \($0.publishes ? "yes" : "") |" }
            + [""]
    }
}
