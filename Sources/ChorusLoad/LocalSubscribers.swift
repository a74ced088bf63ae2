import NIOCore

/// The subscribers this process holds: one ``LoopRecorder`` per event loop, the ``LoadMeter``
/// that reads them, and the connections once ``open(_:scenario:target:concurrency:progress:)``
/// has opened them. A run without workers holds all of them; each worker holds its share.
struct LocalSubscribers: Sendable {
    let loops: [any EventLoop]
    let recorders: [NIOLoopBound<LoopRecorder>]

    /// One recorder per loop of `group`, counting `workloads` workloads.
    init(group: any EventLoopGroup, workloads: Int) async throws {
        loops = Array(group.makeIterator())
        var recorders: [NIOLoopBound<LoopRecorder>] = []
        for loop in loops {
            recorders.append(
                try await loop.submit { NIOLoopBound(LoopRecorder(workloads: workloads), eventLoop: loop) }.get()
            )
        }
        self.recorders = recorders
    }

    var meter: LoadMeter { LoadMeter(loops: loops, recorders: recorders) }

    /// Probes each server with one connection, opens and subscribes `plans`, `concurrency` at a
    /// time, and starts the churning presence members among them.
    func open(
        _ plans: [ConnectionPlan],
        scenario: Scenario,
        target: LoadTarget,
        concurrency: Int,
        progress: LoadProgress
    ) async throws -> ConnectionPool.Opened {
        let pool = ConnectionPool(target: target, loops: loops, recorders: recorders)
        for (index, address) in target.addresses.enumerated() {
            do {
                // One connection to each server first, so an unreachable one is one clear error
                // rather than thousands.
                let probe = try await pool.open(plans[0], index: index, address: index)
                probe.pipeline.fireUserInboundEventTriggered(SubscriberCommand.finish)
                try? await probe.close()
            } catch {
                throw LoadError.unreachable(host: address.host, port: address.port, reason: "\(error)")
            }
        }
        let opened = try await pool.openAll(
            plans,
            channelCounts: scenario.workloads.map(\.channels),
            concurrency: concurrency,
            timeout: scenario.connectTimeout,
            progress: progress
        )
        if opened.figures.failures * 10 > plans.count {
            for channel in opened.channels { channel?.close(promise: nil) }
            throw LoadError.tooManyConnectFailures(
                failed: opened.figures.failures,
                firstError: opened.figures.firstError ?? ""
            )
        }
        for (index, channel) in opened.channels.enumerated() where !plans[index].checked {
            guard plans[index].deltaRole == nil, let churn = scenario.workloads[plans[index].workload].presenceChurn
            else { continue }
            channel?.pipeline.fireUserInboundEventTriggered(
                SubscriberCommand.startChurn(interval: .milliseconds(Int64(churn.intervalMilliseconds)))
            )
        }
        return opened
    }

    /// Tells every connection the run is over and closes it.
    static func close(_ opened: ConnectionPool.Opened) {
        for channel in opened.channels.compactMap({ $0 }) {
            channel.pipeline.fireUserInboundEventTriggered(SubscriberCommand.finish)
            channel.close(promise: nil)
        }
    }
}
