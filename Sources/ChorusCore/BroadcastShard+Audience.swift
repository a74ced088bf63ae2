import ChorusProtocol
import NIOCore

/// Subscribers with a tag filter or taking deltas: they live in a ``ChannelAudience`` per channel
/// instead of the channel's ``SubscriberList``, so channels without them keep the plain fast path.
extension BroadcastShard {
    /// Subscribes `slot` to `key` with a tag filter and/or delta compression; without either it is
    /// an ordinary ``subscribe(_:to:)``. Returns `false` if `slot` already was subscribed.
    @discardableResult
    package func subscribe(_ slot: UInt32, to key: ChannelKey, filter: CompiledTagFilter?, delta: Bool) -> Bool {
        guard filter != nil || delta else { return subscribe(slot, to: key) }
        guard subscriptions[Int(slot)].insert(key).inserted else { return false }
        audience(of: key).insert(slot, filter: filter, delta: delta)
        statistics.subscriptions += 1
        return true
    }

    /// Makes `slot` take deltas on `key` from now on (`pusher:enable_delta_compression` after the
    /// subscription); returns `false` if it is not subscribed or already did.
    @discardableResult
    package func enableDelta(_ slot: UInt32, on key: ChannelKey) -> Bool {
        guard subscriptions[Int(slot)].contains(key) else { return false }
        if let list = channels[key], list.remove(slot) {
            if list.isEmpty { channels[key] = nil }
            audience(of: key).insert(slot, filter: nil, delta: true)
            return true
        }
        guard let audience = audiences[key], !audience.takesDeltas(slot), let removed = audience.remove(slot) else {
            return false
        }
        self.audience(of: key).insert(slot, filter: removed.filter, delta: true)
        return true
    }

    /// Whether `slot` takes deltas on `key`.
    package func takesDeltas(_ slot: UInt32, on key: ChannelKey) -> Bool {
        audiences[key]?.takesDeltas(slot) ?? false
    }

    /// Sends `slot` the next message of `key` in full (`pusher:delta_sync_error`).
    package func resetDeltaBase(_ slot: UInt32, on key: ChannelKey) {
        audiences[key]?.resetDeltaBase(slot)
    }

    private func audience(of key: ChannelKey) -> ChannelAudience {
        if let audience = audiences[key] { return audience }
        let audience = ChannelAudience()
        audiences[key] = audience
        return audience
    }

    /// Removes `slot` from the audience of `key`; `false` if it was not there.
    func removeFromAudience(_ slot: UInt32, of key: ChannelKey) -> Bool {
        guard let audience = audiences[key], audience.remove(slot) != nil else { return false }
        if audience.isEmpty { audiences[key] = nil }
        statistics.subscriptions -= 1
        return true
    }

    /// Queues `event` for the subscribers of its channel but `excluded`: everyone without a filter
    /// gets its frame; subscribers with a filter only if the event's tags pass it; subscribers
    /// taking deltas get its delta when they were sent the base, its full frame otherwise.
    /// Returns how many got it. Channels without filtered or delta subscribers take
    /// ``enqueue(_:to:excluding:)`` unchanged.
    @discardableResult
    package func enqueue(_ event: OutboundEvent, excluding excluded: UInt32?) -> Int {
        guard !audiences.isEmpty, let audience = audiences[event.key] else {
            return enqueue(
                event.frame,
                compressed: event.compressed,
                sockudo: event.sockudoFrame,
                to: event.key,
                excluding: excluded
            )
        }
        var delivery = AudienceDelivery(event: event, skipping: excluded ?? UInt32.max)
        if let list = channels[event.key] { delivery.queuedPlain(to: list, on: self) }
        audience.forEachMatchingGroup(event.tags) { group in
            delivery.queuedPlain(to: group.plain, on: self)
            delivery.queuedDeltas(to: group.delta, on: self)
        }
        statistics.framesQueued &+= delivery.queued
        return delivery.queued
    }
}

/// One event's way through a channel audience: each of its frames enters the ring only when a
/// first subscriber needs it.
private struct AudienceDelivery {
    let event: OutboundEvent
    let skipping: UInt32
    var plainSequence: UInt64?
    var fullSequence: UInt64?
    var deltaSequence: UInt64?
    var queued = 0

    init(event: OutboundEvent, skipping: UInt32) {
        self.event = event
        self.skipping = skipping
    }

    mutating func queuedPlain(to list: SubscriberList, on shard: BroadcastShard) {
        guard !list.isEmpty else { return }
        let sequence =
            plainSequence ?? shard.ring.append(event.frame, compressed: event.compressed, sockudo: event.sockudoFrame)
        plainSequence = sequence
        push(sequence, to: list.slots, on: shard)
    }

    /// Queues `sequence` for every slot of `slots` but the skipped one, in the broadcast hot loop.
    private mutating func push(_ sequence: UInt64, to slots: [UInt32], on shard: BroadcastShard) {
        queued &+= slots.withUnsafeBufferPointer { shard.pending.push(sequence, to: $0, skipping: skipping) }
        for slot in shard.pending.fullSlots where shard.makeRoom(in: slot) {
            shard.pending.push(sequence, slot: Int(slot))
            queued &+= 1
        }
    }

    mutating func queuedDeltas(to list: DeltaSubscriberList, on shard: BroadcastShard) {
        guard !list.isEmpty else { return }
        guard let frames = event.delta else {
            // Not part of a chain (a protocol message, an encrypted channel): everyone gets it as is.
            queuedPlainToDeltaSubscribers(list, on: shard)
            return
        }
        // Usually every subscriber holds the base (or none can use a delta): one frame for all, in
        // the hot loop. Otherwise each gets the delta or the full frame by its own base.
        var holdingBase = 0
        var others = 0
        for index in list.slots.indices where list.slots[index] != skipping {
            if list.lastSequences[index] == frames.baseSequence { holdingBase &+= 1 } else { others &+= 1 }
        }
        if let delta = frames.delta, others == 0 {
            let sequence = deltaSequence ?? shard.ring.append(delta, sockudo: frames.sockudoDelta)
            deltaSequence = sequence
            push(sequence, to: list.slots, on: shard)
        } else if frames.delta == nil || holdingBase == 0 {
            let sequence = fullSequence ?? shard.ring.append(frames.full, compressed: frames.compressedFull)
            fullSequence = sequence
            push(sequence, to: list.slots, on: shard)
        } else {
            for index in list.slots.indices where list.slots[index] != skipping {
                let sequence: UInt64
                if let delta = frames.delta, list.lastSequences[index] == frames.baseSequence {
                    sequence = deltaSequence ?? shard.ring.append(delta, sockudo: frames.sockudoDelta)
                    deltaSequence = sequence
                } else {
                    sequence = fullSequence ?? shard.ring.append(frames.full, compressed: frames.compressedFull)
                    fullSequence = sequence
                }
                shard.queue(sequence, for: list.slots[index])
                queued &+= 1
            }
        }
        for index in list.slots.indices where list.slots[index] != skipping {
            list.lastSequences[index] = frames.sequence
        }
    }

    private mutating func queuedPlainToDeltaSubscribers(_ list: DeltaSubscriberList, on shard: BroadcastShard) {
        let sequence =
            plainSequence ?? shard.ring.append(event.frame, compressed: event.compressed, sockudo: event.sockudoFrame)
        plainSequence = sequence
        push(sequence, to: list.slots, on: shard)
    }
}
