package import Foundation

/// Turns what a run measured into a ``LoadReport`` and decides whether it passed.
package struct ReportBuilder {
    package let scenario: Scenario
    package let target: LoadTarget

    package init(scenario: Scenario, target: LoadTarget) {
        self.scenario = scenario
        self.target = target
    }

    /// What the run measured, as ``LoadReport`` wants it.
    package struct Measured {
        var connections: ConnectFigures
        /// How many worker processes held the subscribers; `nil` for a run without workers.
        var workers: Int?
        /// Per workload, in ``Scenario/workloads`` order.
        var ledgers: [DeliveryLedger]
        var outcomes: [PublishOutcome]
        var sourceNames: [String]
        var snapshot: LoopSnapshot
        var publishSeconds: Double
        var phaseSeconds: Double
        var usage: (generator: ProcessUsage?, server: ProcessUsage?)
        var timeSeries: TimeSeries?
        /// Per workload, what the history check found (`nil` for unchecked workloads); empty
        /// when no workload is checked.
        var history: [HistoryFigures?]

        package init(
            connections: ConnectFigures,
            workers: Int? = nil,
            ledgers: [DeliveryLedger],
            outcomes: [PublishOutcome],
            sourceNames: [String],
            snapshot: LoopSnapshot,
            publishSeconds: Double,
            phaseSeconds: Double,
            usage: (generator: ProcessUsage?, server: ProcessUsage?),
            timeSeries: TimeSeries? = nil,
            history: [HistoryFigures?] = []
        ) {
            self.connections = connections
            self.workers = workers
            self.ledgers = ledgers
            self.outcomes = outcomes
            self.sourceNames = sourceNames
            self.snapshot = snapshot
            self.publishSeconds = publishSeconds
            self.phaseSeconds = phaseSeconds
            self.usage = usage
            self.timeSeries = timeSeries
            self.history = history
        }
    }

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

    package func build(_ run: Measured) -> LoadReport {
        let snapshot = run.snapshot
        let opened = run.connections
        let counts = snapshot.counts
        let expected = run.ledgers.reduce(0) { $0 + $1.expected }
        let lost = max(0, expected - counts.unique)
        var published = PublishOutcome(channels: 0)
        for outcome in run.outcomes { published.addTotals(outcome) }
        var failures = Self.deliveryFailures(counts, expected: expected, scenario: scenario)
        if opened.failures > 0 { failures.append("\(opened.failures) connections failed: \(opened.firstError ?? "")") }
        if published.errors > 0 { failures.append("\(published.errors) publish requests failed") }
        if counts.protocolErrors > 0 { failures.append("\(counts.protocolErrors) protocol errors") }
        if counts.unexpectedCloses > 0 {
            failures.append("\(counts.unexpectedCloses) connections closed by the server")
        }
        if snapshot.latency.count == 0 { failures.append("no delivery was measured") }
        failures += snapshot.failures
        failures += trendFailures(run.timeSeries)
        let delta = scenario.workloads[0].delta.map { deltaFigures(mode: $0, tally: snapshot.delta) }
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
        let history = historyFigures(run)
        failures += history?.failures ?? []
        let connectErrors = opened.firstError.map { ["connect: \($0)"] } ?? []
        let single = scenario.workloads.count == 1 && scenario.workloads[0].name == nil
        var report = LoadReport(
            scenario: scenario.name,
            stamp: Self.stamp(Date()),
            target: .init(host: target.publishAddress.host, port: target.publishAddress.port, appID: target.appID),
            setup: setup(sourceNames: run.sourceNames),
            connections: .init(
                opened: opened.opened,
                failed: opened.failures,
                seconds: opened.seconds,
                handshakeP50Milliseconds: opened.handshakes.milliseconds(atPercentile: 50),
                handshakeP99Milliseconds: opened.handshakes.milliseconds(atPercentile: 99)
            ),
            publishing: .init(
                events: published.accepted,
                requests: published.requests,
                errors: published.errors,
                seconds: run.publishSeconds,
                eventsPerSecond: run.publishSeconds > 0 ? Double(published.accepted) / run.publishSeconds : 0,
                requestP50Milliseconds: published.requestLatency.milliseconds(atPercentile: 50),
                requestP99Milliseconds: published.requestLatency.milliseconds(atPercentile: 99)
            ),
            deliveries: .init(
                expected: expected,
                received: counts.received,
                unique: counts.unique,
                lost: lost,
                duplicates: counts.duplicates,
                outOfOrder: counts.outOfOrder,
                perSecond: run.phaseSeconds > 0 ? Double(snapshot.phaseReceived) / run.phaseSeconds : 0,
                seconds: run.phaseSeconds,
                presenceEvents: counts.presenceEvents
            ),
            latency: snapshot.latency.summary,
            errors: .init(
                connect: opened.failures,
                publish: published.errors,
                protocolErrors: counts.protocolErrors,
                unexpectedCloses: counts.unexpectedCloses,
                samples: Array((connectErrors + published.errorSamples + snapshot.errorSamples).prefix(10))
            ),
            generator: run.usage.generator,
            server: run.usage.server,
            delta: delta,
            workloads: single ? nil : workloadFigures(run),
            timeSeries: run.timeSeries,
            history: history,
            historyLatency: historyLatency(run),
            targets: targetShares(opened),
            workers: run.workers,
            workerUsage: run.workers == nil ? nil : snapshot.processes,
            failures: failures
        )
        report.judge(scenario.thresholds)
        return report
    }

    /// Each server of the target with the connections opened there.
    private func targetShares(_ opened: ConnectFigures) -> [LoadReport.TargetShare] {
        target.addresses.enumerated().map { index, address in
            let share = opened.perAddress.indices.contains(index) ? opened.perAddress[index] : ConnectFigures.Share()
            return LoadReport.TargetShare(
                host: address.host,
                port: address.port,
                connections: share.connections,
                subscribers: share.subscribers,
                publishes: index == target.publishIndex
            )
        }
    }

    /// The scenario's shape; with several workloads, counts are summed and kinds joined.
    private func setup(sourceNames: [String]) -> LoadReport.Setup {
        let workloads = scenario.workloads
        func joined(_ names: [String]) -> String { Array(Set(names)).sorted().joined(separator: "+") }
        let duration: Double? =
            if case .seconds(let seconds) = scenario.length { seconds } else { nil }
        return LoadReport.Setup(
            subscribers: scenario.subscribers,
            channels: workloads.reduce(0) { $0 + $1.channels },
            channelKind: joined(workloads.map(\.channelKind.rawValue)),
            events: workloads.indices.reduce(0) { $0 + scenario.events(ofWorkload: $1) },
            warmup: scenario.warmup * workloads.count,
            batchSize: workloads.map(\.batchSize).max() ?? 1,
            rate: workloads.reduce(0) { $0 + $1.rate },
            publishers: workloads.reduce(0) { $0 + ($1.clientEvents == nil ? $1.publishers : 0) },
            payloadBytes: workloads.flatMap(\.payloadBytes).max() ?? 0,
            source: joined(sourceNames),
            expectLoss: scenario.expectLoss,
            durationSeconds: duration
        )
    }

    private func workloadFigures(_ run: Measured) -> [WorkloadFigures] {
        scenario.workloads.enumerated().map { index, workload in
            let counts = run.snapshot.workloadCounts[index]
            let latency =
                run.snapshot.workloadLatency.indices.contains(index) ? run.snapshot.workloadLatency[index] : nil
            let expected = run.ledgers[index].expected
            let requests = run.outcomes[index].requestLatency
            let publishLatency = workload.clientEvents == nil && requests.count > 0 ? requests : nil
            return WorkloadFigures(
                name: workload.name ?? scenario.name,
                subscribers: workload.subscribers,
                channels: workload.channels,
                channelKind: workload.channelKind.rawValue,
                source: run.sourceNames[index],
                rate: workload.eventsPerSecond,
                payloadBytes: workload.payloadBytes,
                events: run.outcomes[index].accepted,
                expected: expected,
                received: counts.received,
                unique: counts.unique,
                lost: max(0, expected - counts.unique),
                duplicates: counts.duplicates,
                outOfOrder: counts.outOfOrder,
                presenceEvents: counts.presenceEvents,
                p50Milliseconds: latency?.milliseconds(atPercentile: 50),
                p99Milliseconds: latency?.milliseconds(atPercentile: 99),
                publishP50Milliseconds: publishLatency?.milliseconds(atPercentile: 50),
                publishP99Milliseconds: publishLatency?.milliseconds(atPercentile: 99),
                history: run.history.indices.contains(index) ? run.history[index] : nil
            )
        }
    }

    /// The history check's figures summed over the checked workloads.
    private func historyFigures(_ run: Measured) -> HistoryFigures? {
        let checked = run.history.compactMap { $0 }
        guard var total = checked.first else { return nil }
        for figures in checked.dropFirst() { total.add(figures) }
        return total
    }

    /// Publish latency of the HTTP workloads whose history is checked against the other HTTP workloads.
    private func historyLatency(_ run: Measured) -> HistoryLatency? {
        var with = LatencyHistogram()
        var without = LatencyHistogram()
        for (index, workload) in scenario.workloads.enumerated() where workload.clientEvents == nil {
            if workload.historyCheck {
                with.add(run.outcomes[index].requestLatency)
            } else {
                without.add(run.outcomes[index].requestLatency)
            }
        }
        guard with.count > 0, without.count > 0 else { return nil }
        return HistoryLatency(with: with, without: without)
    }

    /// The soak verdict: growth above the scenario's limits, and above the noise floor across the
    /// fitted half, fails the run.
    private func trendFailures(_ series: TimeSeries?) -> [String] {
        guard let series, let trend = series.trend else { return [] }
        var failures: [String] = []
        if let limit = scenario.maxRSSGrowthMiBPerHour, let growth = trend.rssMiBPerHour, growth > limit,
            series.rise(perHour: growth) > TrendFit.rssFloorMiB
        {
            failures.append(
                "server RSS grew \(Figure.text(growth)) MiB/h over the second half (limit \(Figure.text(limit)))"
            )
        }
        if let limit = scenario.maxDescriptorGrowthPerHour, let growth = trend.descriptorsPerHour, growth > limit,
            series.rise(perHour: growth) > TrendFit.descriptorFloor
        {
            failures.append(
                "server descriptors grew \(Figure.text(growth))/h over the second half (limit \(Figure.text(limit)))"
            )
        }
        return failures
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
    package static func stamp(_ date: Date) -> String { stampFormatter.string(from: date) }

    /// The time a ``stamp(_:)`` names, `nil` for text of another form.
    package static func date(stamp: String) -> Date? { stampFormatter.date(from: stamp) }

    private static var stampFormatter: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter
    }
}
