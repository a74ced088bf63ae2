import ChorusClient
import ChorusProtocol
import NIOCore
import NIOHTTP1

/// Publishes a phase of one workload's events over the signed HTTP API: `publishers` workers, each
/// with its own keep-alive connection and its own share of the channels (so every channel's events
/// leave in sequence order), `batch_size` events per request, paced to the workload's rate.
struct HTTPPublisher: Sendable {
    let scenario: Scenario
    /// The index of the workload published, in ``Scenario/workloads``.
    let workload: Int
    let appID: String
    let clients: [PusherHTTPClient]
    let progress: LoadProgress

    /// Publishes events `first..<first+count` of the run's round-robin order: event `k` goes to
    /// channel `k % channels` with sequence number `k / channels`.
    func publish(first: Int, count: Int) async -> PublishOutcome {
        precondition(!clients.isEmpty)
        return await withTaskGroup(of: PublishOutcome.self) { group in
            for worker in clients.indices {
                group.addTask { await publish(worker: worker, first: first, count: count) }
            }
            let load = scenario.workloads[workload]
            var total = PublishOutcome(channels: load.channels, keepingSequences: load.historyCheck)
            for await outcome in group { total.add(outcome) }
            return total
        }
    }

    private func publish(worker: Int, first: Int, count: Int) async -> PublishOutcome {
        let load = scenario.workloads[workload]
        let channels = load.channels
        let mine = (first..<(first + count)).filter { ($0 % channels) % clients.count == worker }
        var outcome = PublishOutcome(channels: channels, keepingSequences: load.historyCheck)
        let client = clients[worker]
        let workerRate = load.rate / Double(clients.count)
        let start = MonotonicClock.now()
        var sent = 0
        var batchStart = 0
        while batchStart < mine.count {
            let batch = mine[batchStart..<min(batchStart + load.batchSize, mine.count)]
            batchStart += batch.count
            if workerRate > 0 {
                let due = start + UInt64(Double(sent) / workerRate * 1e9)
                let now = MonotonicClock.now()
                if due > now { try? await Task.sleep(nanoseconds: due - now) }
            }
            let began = MonotonicClock.now()
            do {
                let response = try await send(batch, client: client, sentAt: began)
                outcome.requestLatency.record(nanoseconds: MonotonicClock.now() - began)
                if (200..<300).contains(Int(response.status.code)) {
                    for event in batch {
                        outcome.accept(channel: event % channels, sequence: Int64(event / channels))
                    }
                } else {
                    outcome.recordError("HTTP \(response.status.code): \(response.bodyText.prefix(200))")
                }
            } catch {
                outcome.recordError("publish: \(error)")
            }
            outcome.requests += 1
            sent += batch.count
            progress.eventsSent(batch.count)
        }
        return outcome
    }

    private func send(
        _ batch: ArraySlice<Int>,
        client: PusherHTTPClient,
        sentAt: UInt64
    ) async throws -> PusherHTTPResponse {
        let load = scenario.workloads[workload]
        let channels = load.channels
        func data(_ event: Int) -> String {
            let sequence = Int64(event / channels)
            return EventPayload(sequence: sequence, sentAt: sentAt).text(size: load.payloadBytes(forSequence: sequence))
        }
        func channel(_ event: Int) -> String { scenario.channelName(event % channels, workload: workload) }
        if load.batchSize == 1, let event = batch.first {
            return try await client.trigger(
                appID: appID,
                name: load.eventName,
                channels: [channel(event)],
                data: data(event)
            )
        }
        let events: [JSONValue] = batch.map { event in
            [
                "name": .string(load.eventName), "channel": .string(channel(event)),
                "data": .string(data(event)),
            ]
        }
        return try await client.triggerBatch(appID: appID, events: events)
    }
}

extension HTTPPublisher {
    /// Closes the publishers' kept-alive connections.
    func shutdown() async {
        for client in clients { await client.shutdown() }
    }
}
