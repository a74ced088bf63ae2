import ChorusLoad
import Foundation
import Testing

/// Sampling on an injected clock, and the growth verdict fitted over the second half.
@Suite struct TimeSeriesTests {
    @Test func samplesEveryIntervalOfTheInjectedClock() async throws {
        let clock = ManualClock()
        let (reads, readSignal) = AsyncStream.makeStream(of: Int.self)
        let (points, pointSignal) = AsyncStream.makeStream(of: TimeSeries.Point.self)
        let counter = Counter()
        let sampler = TimeSeriesSampler(clock: clock, interval: .seconds(10)) {
            let tick = counter.next()
            readSignal.yield(tick)
            var interval = IntervalReading()
            for _ in 0..<(tick == 0 ? 0 : 500) { interval.record(nanoseconds: UInt64(tick) * 1_000_000) }
            return TimeSeriesSampler.Reading(
                interval: interval,
                openConnections: 100 - tick,
                server: ProcessSampler.Sample(cpuSeconds: Double(tick) * 2, rssMiB: 200 + Double(tick), peakRSSMiB: 0),
                serverDescriptors: 110,
                generatorRSSMiB: 50
            )
        }
        let task = Task { await sampler.run(onPoint: { pointSignal.yield($0) }) }
        var readIterator = reads.makeAsyncIterator()
        var pointIterator = points.makeAsyncIterator()
        #expect(await readIterator.next() == 0)
        for _ in 1...3 {
            clock.advance(by: .seconds(10))
            _ = await pointIterator.next()
        }
        task.cancel()
        let series = await task.value
        #expect(series.map(\.seconds) == [10, 20, 30])
        #expect(series.map(\.deliveriesPerSecond) == [50, 50, 50])
        #expect(series.map(\.p99Milliseconds) == [1, 2, 3])
        #expect(series.map(\.openConnections) == [99, 98, 97])
        #expect(series.map(\.serverRSSMiB) == [201, 202, 203])
        #expect(series.map(\.serverCPUPercent) == [20, 20, 20])
        #expect(series.allSatisfy { $0.serverDescriptors == 110 && $0.generatorRSSMiB == 50 })
    }

    @Test func slopeIsTheLeastSquaresLine() throws {
        #expect(TrendFit.slope([(0, 1), (1, 3), (2, 5)]) == 2)
        #expect(TrendFit.slope([(0, 1), (1, 3)]) == nil)
        #expect(TrendFit.slope([(1, 1), (1, 3), (1, 5)]) == nil)
        let noisy = try #require(TrendFit.slope([(0, 0), (1, 3), (2, 1), (3, 4)]))
        #expect(abs(noisy - 1) < 1e-9)
    }

    @Test func aRisingSeriesFailsTheSoak() throws {
        // 72 MiB/h of steady growth under ±5 MiB of noise, over 30 minutes.
        let series = Self.series(minutes: 30) { seconds, noise in 300 + seconds * 0.02 + noise }
        let trend = try #require(series.trend)
        #expect(trend.fromSeconds == 900)
        #expect(abs(try #require(trend.rssMiBPerHour) - 72) < 10)
        #expect(Self.failures(series).contains { $0.hasPrefix("server RSS grew") })
    }

    @Test func aFlatNoisySeriesPassesEvenAfterAStartUpRamp() throws {
        // Memory climbs for the first five minutes, then only wobbles.
        let series = Self.series(minutes: 30) { seconds, noise in 200 + min(seconds, 300) * 0.3 + noise }
        let trend = try #require(series.trend)
        #expect(abs(try #require(trend.rssMiBPerHour)) < 10)
        #expect(try #require(trend.descriptorsPerHour) == 0)
        #expect(Self.failures(series) == [])
    }

    @Test func oneStepInAShortRunIsNoLeak() throws {
        // Two minutes, a point every 5 s: RSS steps up 3 MiB once in the second half. Per hour that
        // fits to about 250 MiB/h, but the line rises less than the floor across the half.
        let points = (1...24).map { index in
            TimeSeries.Point(
                seconds: Double(index * 5),
                deliveriesPerSecond: 1,
                p50Milliseconds: 1,
                p99Milliseconds: 1,
                openConnections: 1,
                serverRSSMiB: index < 18 ? 100 : 103,
                serverDescriptors: 10
            )
        }
        let series = TimeSeries(intervalSeconds: 5, points: points)
        let trend = try #require(series.trend)
        #expect(try #require(trend.rssMiBPerHour) > 100)
        #expect(Self.failures(series) == [])
    }

    @Test func twoMinutesAtFiveSecondsIsEnoughToFit() throws {
        let points = (1...24).map {
            TimeSeries.Point(
                seconds: Double($0 * 5),
                deliveriesPerSecond: 1,
                p50Milliseconds: 1,
                p99Milliseconds: 1,
                openConnections: 1
            )
        }
        let trend = try #require(TimeSeries(intervalSeconds: 5, points: points).trend)
        #expect(trend.points == 13)
        #expect(trend.rssMiBPerHour == nil)
        #expect(TimeSeries(intervalSeconds: 5, points: Array(points.prefix(3))).trend == nil)
    }

    @Test func summaryAndPlotShowTheSeries() throws {
        let series = Self.series(minutes: 5) { seconds, noise in 250 + noise }
        var report = try Self.report(series)
        report.stamp = "20260101T000000Z"
        let summary = MarkdownSummary(report: report, timePlotFile: "t.svg").text
        #expect(summary.contains("| t (s) | deliveries/s |"))
        #expect(summary.contains("Trend over the second half"))
        #expect(summary.contains("![over time](t.svg)"))
        let svg = TimeSeriesPlot(title: "soak", series: series).svg
        #expect(svg.contains("server RSS (MiB)") && svg.contains("server open fds") && svg.contains("p99 latency"))
        let decoded = try JSONDecoder().decode(LoadReport.self, from: LoadReport.encoder.encode(report))
        #expect(decoded.timeSeries == series)
    }

    /// A point every 10 s; `rss(seconds, noise)` with a deterministic noise of ±5 MiB.
    private static func series(minutes: Int, rss: (Double, Double) -> Double) -> TimeSeries {
        let points = (1...(minutes * 6)).map { index in
            let seconds = Double(index * 10)
            let noise = Double((index * 7_919) % 11) - 5
            return TimeSeries.Point(
                seconds: seconds,
                deliveriesPerSecond: 5_000,
                p50Milliseconds: 1,
                p99Milliseconds: 4,
                openConnections: 10_000,
                serverRSSMiB: rss(seconds, noise),
                serverDescriptors: 10_010,
                serverCPUPercent: 40
            )
        }
        return TimeSeries(intervalSeconds: 10, points: points)
    }

    private static func report(_ series: TimeSeries) throws -> LoadReport {
        let scenario = try ScenarioParser(source: "t").parse(
            "name: t\nsubscribers: 2\nrate: 1\nduration_seconds: 1800\nmax_rss_growth_mib_per_hour: 50"
        )
        var latency = LatencyHistogram()
        latency.record(nanoseconds: 1_000_000)
        var counts = DeliveryCounts()
        (counts.received, counts.unique) = (3_600, 3_600)
        var ledger = DeliveryLedger(subscribedPerChannel: [2], sendersReceive: true)
        var outcome = PublishOutcome(channels: 1)
        outcome.acceptedPerChannel = [1_800]
        ledger.add(outcome)
        let opened = ConnectFigures(seconds: 1, subscribedPerChannel: [[2]])
        return ReportBuilder(
            scenario: scenario,
            target: LoadTarget(host: "h", port: 1, appID: "1", key: "k", secret: "s")
        )
        .build(
            ReportBuilder.Measured(
                connections: opened,
                ledgers: [ledger],
                outcomes: [outcome],
                sourceNames: ["http"],
                snapshot: LoopSnapshot(workloadCounts: [counts], latency: latency, phaseReceived: 3_600),
                publishSeconds: 1_800,
                phaseSeconds: 1_800,
                usage: (nil, nil),
                timeSeries: series
            )
        )
    }

    private static func failures(_ series: TimeSeries) -> [String] {
        (try? report(series).failures) ?? ["no report"]
    }
}

/// Counts calls from the sampler's task.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = -1

    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}
