import NIOCore

/// Publishes through client events: the first subscriber of each of the workload's channels sends
/// that channel's share of the events at the per-sender rate; the server relays them to the others.
struct ClientEventPublisher: Sendable {
    let workload: Workload
    /// The sending connection of each channel, `nil` where it failed to subscribe.
    let senders: [(any Channel)?]
    let progress: LoadProgress

    /// Sends events `first..<first+count` of the round-robin order (event `k` on channel `k % channels`).
    func publish(first: Int, count: Int) async -> PublishOutcome {
        let channels = workload.channels
        let rate = workload.clientEvents?.ratePerSender ?? 1
        let interval = TimeAmount.nanoseconds(Int64(1e9 / rate))
        var outcome = PublishOutcome(channels: channels)
        var pending: [(Int, EventLoopFuture<Int>)] = []
        for (index, sender) in senders.enumerated() {
            let share = (first..<(first + count)).lazy.filter { $0 % channels == index }.count
            guard let sender, share > 0 else { continue }
            let done = sender.eventLoop.makePromise(of: Int.self)
            sender.pipeline.fireUserInboundEventTriggered(
                SubscriberCommand.sendClientEvents(
                    count: share,
                    interval: interval,
                    eventName: workload.eventName,
                    payloadBytes: workload.payloadBytes,
                    done: done
                )
            )
            pending.append((index, done.futureResult))
        }
        for (index, future) in pending {
            let sent = (try? await future.get()) ?? 0
            outcome.acceptedPerChannel[index] = sent
            outcome.requests += sent
            progress.eventsSent(sent)
        }
        return outcome
    }
}
