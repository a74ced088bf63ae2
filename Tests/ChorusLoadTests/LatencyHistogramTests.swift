import ChorusLoad
import Testing

@Suite struct LatencyHistogramTests {
    @Test func percentilesOfAKnownDistribution() {
        var histogram = LatencyHistogram()
        // 1 ms … 100 ms, one of each.
        for ms in 1...100 { histogram.record(nanoseconds: UInt64(ms) * 1_000_000) }
        let summary = histogram.summary
        #expect(summary.count == 100)
        #expect(abs(summary.p50 - 50) < 0.1)
        #expect(abs(summary.p90 - 90) < 0.1)
        #expect(abs(summary.p99 - 99) < 0.1)
        #expect(abs(summary.max - 100) < 0.1)
        #expect(abs(summary.mean - 50.5) < 0.1)
    }

    @Test func mergingLoopsEqualsRecordingInOne() {
        var first = LatencyHistogram()
        var second = LatencyHistogram()
        var all = LatencyHistogram()
        for micros in stride(from: 100, to: 50_000, by: 37) {
            let nanos = UInt64(micros) * 1_000
            if micros % 2 == 0 { first.record(nanoseconds: nanos) } else { second.record(nanoseconds: nanos) }
            all.record(nanoseconds: nanos)
        }
        first.add(second)
        #expect(first.summary == all.summary)
    }

    @Test func outOfRangeValuesAreClampedNotDropped() {
        var histogram = LatencyHistogram()
        histogram.record(nanoseconds: 0)
        histogram.record(nanoseconds: 10 * 60 * 1_000_000_000)
        #expect(histogram.count == 2)
        #expect(histogram.summary.max >= 59_000)
    }

    @Test func curveRunsFromZeroToTheMaximum() throws {
        var histogram = LatencyHistogram()
        for micros in 1...1_000 { histogram.record(nanoseconds: UInt64(micros) * 1_000) }
        let curve = histogram.curve
        let first = try #require(curve.first)
        let last = try #require(curve.last)
        #expect(first.percentile == 0)
        #expect(last.percentile == 100)
        #expect(abs(last.milliseconds - 1) < 0.01)
        #expect(zip(curve, curve.dropFirst()).allSatisfy { $0.milliseconds <= $1.milliseconds })
    }

    @Test func emptyHistogramSummarisesToZeros() {
        let summary = LatencyHistogram().summary
        #expect(summary.count == 0)
        #expect(summary.p99 == 0)
        #expect(summary.curve.isEmpty)
    }
}
