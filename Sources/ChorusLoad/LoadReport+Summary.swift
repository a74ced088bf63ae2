/// The tables and sentences of a run's summary, shared by ``MarkdownSummary`` and ``HTMLSummary``
/// so both show the same figures, worded the same way.
extension LoadReport {
    /// The most rows the time series table shows; longer series are thinned evenly.
    static let timeSeriesRows = 13

    /// The server, or how many servers and which one was published to.
    package var targetText: String {
        let published = ServerAddress(host: target.host, port: target.port).description
        guard let targets, targets.count > 1 else { return published }
        return "\(targets.count) servers, publishing to \(published)"
    }

    /// `Setup: 200 public subscribers on 10 channel(s), …`.
    package var setupText: String {
        let f = Figure.text as (Double) -> String
        return "Setup: \(setup.subscribers) \(setup.channelKind) subscribers on \(setup.channels) channel(s), "
            + "\(setup.events) events (+\(setup.warmup) warm-up)"
            + (setup.durationSeconds.map { " over \(f($0)) s" } ?? "") + " via \(setup.source), "
            + "batch \(setup.batchSize), rate \(setup.rate == 0 ? "as fast as accepted" : "\(f(setup.rate))/s"), "
            + "\(setup.payloadBytes) B payload."
    }

    /// With several servers, what went to each; `nil` with one.
    package var targetTable: SummaryTable? {
        guard let targets, targets.count > 1 else { return nil }
        return SummaryTable(
            header: ["server", "connections", "checked subscribers", "published to"],
            rows: targets.map {
                ["\($0.address)", "\($0.connections)", "\($0.subscribers)", $0.publishes ? "yes" : ""]
            }
        )
    }

    /// Delivery latency percentiles.
    package var latencyTable: SummaryTable {
        let f = Figure.text as (Double) -> String
        return SummaryTable(
            header: ["latency (ms)", "p50", "p90", "p99", "p99.9", "max", "mean"],
            rows: [
                [
                    "delivery", f(latency.p50), f(latency.p90), f(latency.p99), f(latency.p999), f(latency.max),
                    f(latency.mean),
                ]
            ]
        )
    }

    /// Deliveries, publishing, connections, errors, delta figures and process usage.
    package var figureTable: SummaryTable {
        let f = Figure.text as (Double) -> String
        let d = deliveries
        let p = publishing
        let c = connections
        var rows = [
            ["deliveries/s", f(d.perSecond)],
            ["deliveries expected / unique", "\(d.expected) / \(d.unique)"],
            ["lost / duplicated / out of order", "\(d.lost) / \(d.duplicates) / \(d.outOfOrder)"],
            [
                "events published (measured)",
                "\(p.events) in \(f(p.seconds)) s (\(f(p.eventsPerSecond))/s, \(p.requests) requests)",
            ],
            ["publish request p50 / p99 (ms)", "\(f(p.requestP50Milliseconds)) / \(f(p.requestP99Milliseconds))"],
            ["connections opened / failed", "\(c.opened) / \(c.failed) in \(f(c.seconds)) s"],
            ["handshake p50 / p99 (ms)", "\(f(c.handshakeP50Milliseconds)) / \(f(c.handshakeP99Milliseconds))"],
            [
                "errors: connect / publish / protocol / closes",
                "\(errors.connect) / \(errors.publish) / \(errors.protocolErrors) / \(errors.unexpectedCloses)",
            ],
        ]
        if d.presenceEvents > 0 { rows.append(["presence member events seen", "\(d.presenceEvents)"]) }
        if let delta {
            rows += [
                ["delta (\(delta.mode)): messages / rebuilt from deltas", "\(delta.messages) / \(delta.rebuilt)"],
                [
                    "delta: compared with the full message / mismatches / not compared",
                    "\(delta.compared) / \(delta.mismatches) / \(delta.unreferenced)",
                ],
                ["delta: sync errors", "\(delta.syncErrors)"],
                [
                    "delta: bytes received / as full messages / saved",
                    "\(delta.receivedBytes) / \(delta.fullBytes) / \(f(delta.bytesSavedPercent)) %",
                ],
            ]
        }
        if let workers { rows.append(["generator worker processes", "\(workers)"]) }
        let workerRows = (workerUsage ?? []).enumerated().map { ("worker \($0)", Optional($1)) }
        for (label, usage) in [("generator", generator), ("server", server)] + workerRows {
            guard let usage else { continue }
            rows.append([
                "\(label) CPU / RSS (peak)",
                "\(f(usage.cpuPercent)) % of a core / \(f(usage.rssMiB)) MiB (\(f(usage.peakRSSMiB)) MiB)",
            ])
        }
        return SummaryTable(header: ["figure", "value"], rows: rows)
    }

    /// One row per workload, for runs of several workloads; `nil` otherwise.
    package var workloadTable: SummaryTable? {
        guard let workloads else { return nil }
        let optional = { (value: Double?) in value.map(Figure.text) ?? "–" }
        return SummaryTable(
            header: [
                "workload", "subscribers", "channels", "source", "events/s", "payload (B)", "events", "expected",
                "lost",
                "duplicated", "out of order", "p50 / p99 (ms)",
            ],
            rows: workloads.map { w in
                [
                    w.name, "\(w.subscribers)", "\(w.channels) \(w.channelKind)", w.source, Figure.text(w.rate),
                    w.payloadBytes.map(String.init).joined(separator: ", "), "\(w.events)", "\(w.expected)",
                    "\(w.lost)", "\(w.duplicates)", "\(w.outOfOrder)",
                    "\(optional(w.p50Milliseconds)) / \(optional(w.p99Milliseconds))",
                ]
            }
        )
    }

    /// The scenario's thresholds with what the run measured against each; the verdict column says
    /// `pass`, `FAIL` or `not measured`. `nil` when the scenario has none.
    package var thresholdTable: SummaryTable? {
        guard let thresholds else { return nil }
        return SummaryTable(
            header: ["threshold", "wanted", "measured", "verdict"],
            rows: thresholds.map { verdict in
                [
                    verdict.metric, "\(verdict.comparison) \(Figure.text(verdict.limit))",
                    verdict.measured.map(Figure.text) ?? "not measured",
                    verdict.passed ? "pass" : verdict.outcome == .failed ? "FAIL" : "not measured",
                ]
            }
        )
    }
}
