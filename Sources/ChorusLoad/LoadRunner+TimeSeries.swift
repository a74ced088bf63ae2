import Foundation

extension LoadRunner {
    /// Starts taking a time series point every `sample_interval_seconds` until the task is cancelled;
    /// timed runs also print each point on standard error, unless ``printsPoints`` is off.
    func startSampling(
        meter: any DeliveryMeter,
        opened: Int,
        server: ProcessSampler?,
        generator: ProcessSampler
    ) -> Task<[TimeSeries.Point], Never> {
        let sampler = TimeSeriesSampler(
            clock: ContinuousClock(),
            interval: .milliseconds(Int64(scenario.sampleIntervalSeconds * 1_000)),
            read: {
                TimeSeriesSampler.Reading(
                    interval: await meter.takeInterval(),
                    openConnections: opened - Int(await meter.counts().unexpectedCloses),
                    server: server?.sample(),
                    serverDescriptors: server?.openDescriptors(),
                    generatorRSSMiB: generator.sample()?.rssMiB
                )
            }
        )
        let timed: Bool = if case .seconds = scenario.length { true } else { false }
        return Task { await sampler.run(onPoint: timed && printsPoints ? Self.printPoint : { _ in }) }
    }

    /// One line per point, so a long run can be followed in its log.
    @Sendable private static func printPoint(_ point: TimeSeries.Point) {
        var line = "t=\(Int(point.seconds))s deliveries/s=\(Int(point.deliveriesPerSecond)) "
        line += "p50=\(Figure.text(point.p50Milliseconds))ms p99=\(Figure.text(point.p99Milliseconds))ms "
        line += "open=\(point.openConnections)"
        if let rss = point.serverRSSMiB { line += " server_rss=\(Figure.text(rss))MiB" }
        if let fds = point.serverDescriptors { line += " server_fds=\(fds)" }
        if let cpu = point.serverCPUPercent { line += " server_cpu=\(Figure.text(cpu))%" }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
