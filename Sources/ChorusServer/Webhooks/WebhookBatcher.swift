package import NIOCore

/// Groups webhook events that occur close together into one request, and holds `channel_vacated`
/// and `member_removed` back for a while: when the channel or the member comes back in that time,
/// both the departure and the return are dropped, since the receiver never saw the channel empty.
///
/// A value driven by the caller's clock: ``add(_:now:)`` as events arrive, ``takeDue(now:)`` at
/// ``nextDeadline``.
package struct WebhookBatcher {
    private struct HoldKey: Hashable {
        var channel: String
        var userID: String?
    }

    private struct Held {
        var key: HoldKey
        var event: WebhookEvent
        var due: NIODeadline
        var generation: UInt64
    }

    private let batchWindow: TimeAmount
    private let vacateDelay: TimeAmount
    private let maxBatchEvents: Int
    private var batch: [WebhookEvent] = []
    private var batchDue: NIODeadline?
    /// Departures still held, by channel (and user), with the generation of the live hold.
    private var held: [HoldKey: UInt64] = [:]
    /// Holds in due order (every hold waits the same delay); cancelled ones are skipped.
    private var holdQueue = CircularBuffer<Held>()
    private var generation: UInt64 = 0

    package init(
        batchWindow: TimeAmount,
        vacateDelay: TimeAmount,
        maxBatchEvents: Int = WebhookDeliverySettings.maxBatchEvents
    ) {
        self.batchWindow = batchWindow
        self.vacateDelay = vacateDelay
        self.maxBatchEvents = maxBatchEvents
    }

    /// Events accepted and not yet taken, held departures included.
    package var pendingCount: Int { batch.count + held.count }

    /// When ``takeDue(now:)`` has something to return next; `nil` when nothing is pending.
    package var nextDeadline: NIODeadline? {
        let holdDue = holdQueue.first?.due
        guard let batchDue, !batch.isEmpty else { return holdDue }
        return holdDue.map { min($0, batchDue) } ?? batchDue
    }

    package mutating func add(_ event: WebhookEvent, now: NIODeadline) {
        switch event.kind {
        case .channelVacated, .memberRemoved:
            guard vacateDelay > .zero else { return append(event, now: now) }
            generation &+= 1
            let key = HoldKey(channel: event.channel, userID: event.userID)
            held[key] = generation
            holdQueue.append(Held(key: key, event: event, due: now + vacateDelay, generation: generation))
        case .channelOccupied, .memberAdded:
            if held.removeValue(forKey: HoldKey(channel: event.channel, userID: event.userID)) != nil { return }
            append(event, now: now)
        case .clientEvent, .cacheMiss, .subscriptionCount:
            append(event, now: now)
        }
    }

    /// The next batch to send, if one is due at `now` (empty otherwise). Held departures whose
    /// delay has passed are released into it first.
    package mutating func takeDue(now: NIODeadline) -> [WebhookEvent] {
        while let first = holdQueue.first, first.due <= now {
            holdQueue.removeFirst()
            guard held[first.key] == first.generation else { continue }
            held[first.key] = nil
            append(first.event, now: now)
            batchDue = now
        }
        guard let due = batchDue, due <= now, !batch.isEmpty else { return [] }
        if batch.count <= maxBatchEvents {
            defer { batch.removeAll(keepingCapacity: true) }
            batchDue = nil
            return batch
        }
        let taken = Array(batch.prefix(maxBatchEvents))
        batch.removeFirst(maxBatchEvents)
        return taken
    }

    private mutating func append(_ event: WebhookEvent, now: NIODeadline) {
        if batch.isEmpty { batchDue = now + batchWindow }
        batch.append(event)
        if batch.count >= maxBatchEvents { batchDue = now }
    }
}
