package import ChorusProtocol
import NIOCore

/// Subscribers with a tag filter or taking deltas: they live in a ``ChannelAudience`` per channel
/// instead of the channel's ``SubscriberList``, so channels without them keep the plain fast path.
extension BroadcastShard {
    /// Subscribes `slot` to `key` with a tag filter and/or deltas of algorithm `delta`; without
    /// either it is an ordinary ``subscribe(_:to:)``. `syncedAt`: the channel sequence of the cache
    /// sync the subscriber was sent (conflation channels). Returns `false` if `slot` already was
    /// subscribed.
    @discardableResult
    package func subscribe(
        _ slot: UInt32,
        to key: ChannelKey,
        filter: CompiledTagFilter?,
        delta: DeltaAlgorithm?,
        syncedAt: UInt64? = nil
    ) -> Bool {
        guard filter != nil || delta != nil else { return subscribe(slot, to: key) }
        guard subscriptions[Int(slot)].insert(key).inserted else { return false }
        audience(of: key).insert(slot, filter: filter, delta: delta, syncedAt: syncedAt)
        statistics.subscriptions += 1
        return true
    }

    /// Makes `slot` take deltas of `algorithm` on `key` from now on (`pusher:enable_delta_compression`
    /// after the subscription); returns `false` if it is not subscribed or already takes deltas.
    @discardableResult
    package func enableDelta(_ slot: UInt32, on key: ChannelKey, algorithm: DeltaAlgorithm = .fossil) -> Bool {
        guard subscriptions[Int(slot)].contains(key) else { return false }
        if let list = channels[key], list.remove(slot) {
            if list.isEmpty { channels[key] = nil }
            audience(of: key).insert(slot, filter: nil, delta: algorithm)
            return true
        }
        guard let audience = audiences[key], audience.deltaAlgorithm(of: slot) == nil,
            let removed = audience.remove(slot)
        else {
            return false
        }
        self.audience(of: key).insert(slot, filter: removed.filter, delta: algorithm)
        return true
    }

    /// The algorithm of the deltas `slot` takes on `key`, if it takes any.
    package func deltaAlgorithm(of slot: UInt32, on key: ChannelKey) -> DeltaAlgorithm? {
        audiences[key]?.deltaAlgorithm(of: slot)
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
            for algorithm in DeltaAlgorithm.allCases {
                delivery.queuedDeltas(to: group.deltas(algorithm), algorithm: algorithm, on: self)
            }
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
    /// The ring sequence of each algorithm's delta frame (``DeltaAlgorithm/allCases`` order).
    var deltaSequences: (UInt64?, UInt64?) = (nil, nil)
    var queued = 0

    init(event: OutboundEvent, skipping: UInt32) {
        self.event = event
        self.skipping = skipping
    }

    mutating func queuedPlain(to list: SubscriberList, on shard: BroadcastShard) {
        guard !list.isEmpty else { return }
        push(plainFrame(on: shard), to: list.slots, on: shard)
    }

    private mutating func plainFrame(on shard: BroadcastShard) -> UInt64 {
        let sequence =
            plainSequence ?? shard.ring.append(event.frame, compressed: event.compressed, sockudo: event.sockudoFrame)
        plainSequence = sequence
        return sequence
    }

    private mutating func fullFrame(_ frames: DeltaFrames, on shard: BroadcastShard) -> UInt64 {
        let sequence = fullSequence ?? shard.ring.append(frames.full, compressed: frames.compressedFull)
        fullSequence = sequence
        return sequence
    }

    private mutating func deltaFrame(
        _ delta: DeltaFrames.Delta,
        _ algorithm: DeltaAlgorithm,
        on shard: BroadcastShard
    )
        -> UInt64
    {
        switch algorithm {
        case .fossil:
            let sequence = deltaSequences.0 ?? shard.ring.append(delta.frame, sockudo: delta.sockudoFrame)
            deltaSequences.0 = sequence
            return sequence
        case .xdelta3:
            let sequence = deltaSequences.1 ?? shard.ring.append(delta.frame, sockudo: delta.sockudoFrame)
            deltaSequences.1 = sequence
            return sequence
        }
    }

    /// Queues `sequence` for every slot of `slots` but the skipped one, in the broadcast hot loop.
    private mutating func push(_ sequence: UInt64, to slots: [UInt32], on shard: BroadcastShard) {
        queued &+= slots.withUnsafeBufferPointer { shard.pending.push(sequence, to: $0, skipping: skipping) }
        for slot in shard.pending.fullSlots where shard.makeRoom(in: slot) {
            shard.pending.push(sequence, slot: Int(slot))
            queued &+= 1
        }
    }

    mutating func queuedDeltas(to list: DeltaSubscriberList, algorithm: DeltaAlgorithm, on shard: BroadcastShard) {
        guard !list.isEmpty else { return }
        guard let frames = event.delta else {
            // Not part of a chain (a protocol message, an encrypted channel): everyone gets it as is.
            push(plainFrame(on: shard), to: list.slots, on: shard)
            return
        }
        let delta = frames.delta(algorithm)
        // Usually every subscriber holds the base (or none can use a delta): one frame for all, in
        // the hot loop. Otherwise each gets the delta or the full frame by what it holds.
        let (holdingBase, others) =
            delta == nil
            ? (0, 0) : list.countHolding(sequence: frames.sequence, base: frames.baseSequence, skipping: skipping)
        if let delta, others == 0 {
            push(deltaFrame(delta, algorithm, on: shard), to: list.slots, on: shard)
        } else if delta == nil || holdingBase == 0 {
            push(fullFrame(frames, on: shard), to: list.slots, on: shard)
        } else if let delta {
            for index in list.slots.indices where list.slots[index] != skipping {
                let sequence =
                    list.holdsBase(at: index, sequence: frames.sequence, base: frames.baseSequence)
                    ? deltaFrame(delta, algorithm, on: shard) : fullFrame(frames, on: shard)
                shard.queue(sequence, for: list.slots[index])
                queued &+= 1
            }
        }
        list.recordSent(frames.sequence, skipping: skipping)
    }
}
