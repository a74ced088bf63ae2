/// Takes a ``TimeSeries`` point every interval of an injected clock until its task is cancelled.
///
/// Each tick reads the figures accumulated since the previous one (`read` empties the loops'
/// interval counters), so a point covers exactly one interval; rates use the clock's actual elapsed
/// time, not the nominal interval, so a late tick does not inflate them.
package struct TimeSeriesSampler<C: Clock>: Sendable where C.Duration == Duration {
    /// The figures one tick reads.
    package struct Reading: Sendable {
        var interval = IntervalReading()
        var openConnections = 0
        var server: ProcessSampler.Sample?
        var serverDescriptors: Int?
        var generatorRSSMiB: Double?

        package init(
            interval: IntervalReading = IntervalReading(),
            openConnections: Int = 0,
            server: ProcessSampler.Sample? = nil,
            serverDescriptors: Int? = nil,
            generatorRSSMiB: Double? = nil
        ) {
            self.interval = interval
            self.openConnections = openConnections
            self.server = server
            self.serverDescriptors = serverDescriptors
            self.generatorRSSMiB = generatorRSSMiB
        }
    }

    package let clock: C
    package let interval: Duration
    package let read: @Sendable () async -> Reading

    package init(clock: C, interval: Duration, read: @escaping @Sendable () async -> Reading) {
        self.clock = clock
        self.interval = interval
        self.read = read
    }

    /// Samples until cancelled, then returns the points taken; `onPoint` sees each as it is taken.
    package func run(onPoint: @Sendable (TimeSeries.Point) -> Void = { _ in }) async -> [TimeSeries.Point] {
        let start = clock.now
        var previous = (at: start, reading: await read())
        var points: [TimeSeries.Point] = []
        var next = start.advanced(by: interval)
        while true {
            do {
                try await clock.sleep(until: next, tolerance: nil)
            } catch {
                return points
            }
            let now = clock.now
            let reading = await read()
            let point = Self.point(
                reading,
                after: previous.reading,
                elapsed: Self.seconds(previous.at.duration(to: now)),
                at: Self.seconds(start.duration(to: now))
            )
            points.append(point)
            onPoint(point)
            previous = (now, reading)
            next = next.advanced(by: interval)
        }
    }

    /// The point for `reading`, taken `elapsed` seconds after `previous` and `at` seconds into the run.
    package static func point(
        _ reading: Reading,
        after previous: Reading,
        elapsed: Double,
        at: Double
    ) -> TimeSeries.Point {
        var cpu: Double?
        if let now = reading.server, let before = previous.server, elapsed > 0 {
            cpu = (now.cpuSeconds - before.cpuSeconds) / elapsed * 100
        }
        return TimeSeries.Point(
            seconds: at,
            deliveriesPerSecond: elapsed > 0 ? Double(reading.interval.received) / elapsed : 0,
            p50Milliseconds: reading.interval.latency.milliseconds(atPercentile: 50),
            p99Milliseconds: reading.interval.latency.milliseconds(atPercentile: 99),
            openConnections: reading.openConnections,
            serverRSSMiB: reading.server?.rssMiB,
            serverDescriptors: reading.serverDescriptors,
            serverCPUPercent: cpu,
            generatorRSSMiB: reading.generatorRSSMiB
        )
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
