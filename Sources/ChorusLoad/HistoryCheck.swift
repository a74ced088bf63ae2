import ChorusClient

/// The history check of a run (`history_check: true`): before publishing it notes where each
/// checked channel's history stands, afterwards it reads back what the run stored and audits it
/// against the acknowledged events (``HistoryAudit``).
///
/// Noting the newest serial first lets the check run against a server that already keeps history
/// on those channels from earlier runs.
struct HistoryCheck: Sendable {
    /// Per workload (in ``Scenario/workloads`` order), per channel: the newest serial before the
    /// run, or why it could not be read; `nil` for a workload that is not checked.
    typealias Baselines = [[Result<Int64, HistoryReadError>]?]

    let scenario: Scenario
    let reader: HistoryReader

    /// Reads from the server the run publishes to.
    init(scenario: Scenario, target: LoadTarget) {
        self.scenario = scenario
        let address = target.publishAddress
        self.reader = HistoryReader(
            client: PusherHTTPClient(
                host: address.host,
                port: address.port,
                key: target.key,
                secret: target.secret,
                tls: target.tls
            ),
            appID: target.appID
        )
    }

    func baselines() async -> Baselines {
        var baselines: Baselines = []
        for (index, workload) in scenario.workloads.enumerated() {
            guard workload.historyCheck else {
                baselines.append(nil)
                continue
            }
            var serials: [Result<Int64, HistoryReadError>] = []
            for channel in 0..<workload.channels {
                let name = scenario.channelName(channel, workload: index)
                do throws(HistoryReadError) {
                    serials.append(.success(try await reader.latestSerial(channel: name)))
                } catch {
                    serials.append(.failure(error))
                }
            }
            baselines.append(serials)
        }
        return baselines
    }

    /// The figures of each checked workload (`nil` for the others), from every publish outcome of
    /// the run (warm-up and measured) per workload.
    func audit(_ outcomes: [PublishOutcome], baselines: Baselines) async -> [HistoryFigures?] {
        var figures: [HistoryFigures?] = []
        for (index, workload) in scenario.workloads.enumerated() {
            guard let serials = baselines[index] else {
                figures.append(nil)
                continue
            }
            let acknowledged = outcomes[index].acknowledgedSequences ?? []
            var total = HistoryFigures(channels: 0, acknowledged: 0, stored: 0)
            for (channel, baseline) in serials.enumerated() {
                let sequences = acknowledged.indices.contains(channel) ? acknowledged[channel] : []
                let audit = HistoryAudit(acknowledged: sequences)
                let name = scenario.channelName(channel, workload: index)
                do throws(HistoryReadError) {
                    let after = try baseline.get()
                    let stored = try await reader.sequences(channel: name, eventName: workload.eventName, after: after)
                    total.add(audit.check(stored: stored))
                } catch {
                    var failed = HistoryFigures(channels: 1, acknowledged: sequences.count, stored: 0)
                    failed.errors = ["\(error)"]
                    total.add(failed)
                }
            }
            figures.append(total)
        }
        await reader.client.shutdown()
        return figures
    }
}
