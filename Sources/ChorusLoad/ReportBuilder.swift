import Foundation

/// Turns what a run measured into a ``LoadReport`` and decides whether it passed.
package struct ReportBuilder {
    let scenario: Scenario
    let target: LoadTarget

    /// Why the deliveries fail the run: loss and duplicates (unless the scenario expects loss) and
    /// out-of-order deliveries (unless it expects reordering: one publisher per channel promises order).
    package static func deliveryFailures(_ counts: DeliveryCounts, expected: Int64, scenario: Scenario) -> [String] {
        let lost = max(0, expected - counts.unique)
        var failures: [String] = []
        if lost > 0, !scenario.expectLoss { failures.append("\(lost) of \(expected) deliveries lost") }
        if counts.duplicates > 0, !scenario.expectLoss { failures.append("\(counts.duplicates) duplicated deliveries") }
        if counts.outOfOrder > 0, !scenario.expectReorder {
            failures.append("\(counts.outOfOrder) deliveries out of order on their channel")
        }
        return failures
    }

    func build(
        opened: ConnectionPool.Opened,
        ledger: DeliveryLedger,
        measured: PublishOutcome,
        sourceName: String,
        snapshot: LoopSnapshot,
        publishSeconds: Double,
        phaseSeconds: Double,
        usage: (generator: ProcessUsage?, server: ProcessUsage?)
    ) -> LoadReport {
        let counts = snapshot.counts
        let lost = max(0, ledger.expected - counts.unique)
        var failures = Self.deliveryFailures(counts, expected: ledger.expected, scenario: scenario)
        if opened.failures > 0 { failures.append("\(opened.failures) connections failed: \(opened.firstError ?? "")") }
        if measured.errors > 0 { failures.append("\(measured.errors) publish requests failed") }
        if counts.protocolErrors > 0 { failures.append("\(counts.protocolErrors) protocol errors") }
        if counts.unexpectedCloses > 0 {
            failures.append("\(counts.unexpectedCloses) connections closed by the server")
        }
        if snapshot.latency.count == 0 { failures.append("no delivery was measured") }
        let delta = scenario.delta.map { deltaFigures(mode: $0, tally: snapshot.delta) }
        if let delta {
            if delta.mismatches > 0 {
                failures.append("\(delta.mismatches) rebuilt messages differ from the full message")
            }
            if delta.unreferenced > 0 {
                failures.append(
                    "\(delta.unreferenced) messages could not be compared (the reference subscriber missed them)"
                )
            }
            if delta.syncErrors > 0 { failures.append("\(delta.syncErrors) deltas could not be applied (sync errors)") }
        }
        let connectErrors = opened.firstError.map { ["connect: \($0)"] } ?? []
        return LoadReport(
            scenario: scenario.name,
            stamp: Self.stamp(Date()),
            target: .init(host: target.host, port: target.port, appID: target.appID),
            setup: .init(
                subscribers: scenario.subscribers,
                channels: scenario.channels,
                channelKind: scenario.channelKind.rawValue,
                events: scenario.events,
                warmup: scenario.warmup,
                batchSize: scenario.batchSize,
                rate: scenario.rate,
                publishers: scenario.publishers,
                payloadBytes: scenario.payloadBytes,
                source: sourceName,
                expectLoss: scenario.expectLoss
            ),
            connections: .init(
                opened: opened.opened,
                failed: opened.failures,
                seconds: opened.seconds,
                handshakeP50Milliseconds: opened.handshakes.milliseconds(atPercentile: 50),
                handshakeP99Milliseconds: opened.handshakes.milliseconds(atPercentile: 99)
            ),
            publishing: .init(
                events: measured.accepted,
                requests: measured.requests,
                errors: measured.errors,
                seconds: publishSeconds,
                eventsPerSecond: publishSeconds > 0 ? Double(measured.accepted) / publishSeconds : 0,
                requestP50Milliseconds: measured.requestLatency.milliseconds(atPercentile: 50),
                requestP99Milliseconds: measured.requestLatency.milliseconds(atPercentile: 99)
            ),
            deliveries: .init(
                expected: ledger.expected,
                received: counts.received,
                unique: counts.unique,
                lost: lost,
                duplicates: counts.duplicates,
                outOfOrder: counts.outOfOrder,
                perSecond: phaseSeconds > 0 ? Double(snapshot.phaseReceived) / phaseSeconds : 0,
                seconds: phaseSeconds,
                presenceEvents: counts.presenceEvents
            ),
            latency: snapshot.latency.summary,
            errors: .init(
                connect: opened.failures,
                publish: measured.errors,
                protocolErrors: counts.protocolErrors,
                unexpectedCloses: counts.unexpectedCloses,
                samples: Array((connectErrors + measured.errorSamples + snapshot.errorSamples).prefix(10))
            ),
            generator: usage.generator,
            server: usage.server,
            delta: delta,
            failures: failures
        )
    }

    private func deltaFigures(mode: Scenario.DeltaMode, tally: DeltaTally) -> DeltaFigures {
        let comparison = tally.comparison
        return DeltaFigures(
            mode: mode.rawValue,
            messages: tally.messages,
            rebuilt: tally.rebuilt,
            compared: comparison.compared,
            mismatches: comparison.mismatches,
            unreferenced: comparison.unreferenced,
            syncErrors: tally.syncErrors,
            receivedBytes: tally.receivedBytes,
            fullBytes: tally.fullBytes
        )
    }

    /// A sortable UTC time stamp usable as a file name, e.g. `20250101T120000Z`.
    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }
}
