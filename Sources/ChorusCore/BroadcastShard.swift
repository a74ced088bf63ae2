package import NIOCore

/// The subscribers of the connections owned by one event loop, and the fan-out to them.
///
/// A shard is confined to its event loop: every method must be called there, so nothing in it is
/// locked. Broadcasting a frame appends it once to the shard's ``FrameRing`` and queues its sequence
/// number for each subscriber of the channel in flat arrays — no allocation and no retain per
/// subscriber. ``flush()`` then writes each touched connection's queued frames and flushes it once,
/// so the frames of one batch bound for one connection leave in one gathering write.
package final class BroadcastShard {
    package let limits: OutboundLimits
    package var ring: FrameRing
    let pending: PendingFrames
    var sinks: [(any FrameSink)?] = []
    /// Whether the connection in each slot takes `permessage-deflate` frames.
    var compresses: [Bool] = []
    /// Whether the connection in each slot speaks Sockudo's protocol 2 (`sockudo:` names).
    var speaksSockudo: [Bool] = []
    /// Compressed forms of frames made for one connection (and counts of such connections).
    let compression: FrameCompression?
    var mustClose: [Bool] = []
    var slotsToClose: [UInt32] = []
    var channels: [ChannelKey: SubscriberList] = [:]
    /// Per channel, the subscribers with a tag filter or taking deltas (see `BroadcastShard+Audience.swift`).
    var audiences: [ChannelKey: ChannelAudience] = [:]
    /// For presence channels: the roster version each subscriber joined at.
    private var presenceJoinVersions: [ChannelKey: [UInt32: UInt64]] = [:]
    var subscriptions: [Set<ChannelKey>] = []
    private var freeSlots: [UInt32] = []
    package internal(set) var statistics = ShardStatistics()

    package init(limits: OutboundLimits = OutboundLimits(), compression: FrameCompression? = nil) {
        self.limits = limits
        self.compression = compression
        self.ring = FrameRing(capacity: limits.ringFrames, byteBudget: limits.ringBytes)
        self.pending = PendingFrames(perSlot: limits.framesPerConnection)
    }

    // MARK: Connections and subscriptions

    /// Gives `sink` a slot; the slot is reused after ``unregister(_:)``. A sink that `compresses`
    /// (negotiated `permessage-deflate`) is written the compressed form of frames that have one; a
    /// sink that `speaksSockudo` (protocol 2) the protocol 2 form of frames that have one.
    package func register(_ sink: any FrameSink, compresses: Bool = false, speaksSockudo: Bool = false) -> UInt32 {
        let slot: UInt32
        if let reused = freeSlots.popLast() {
            slot = reused
        } else {
            slot = UInt32(sinks.count)
            sinks.append(nil)
            self.compresses.append(false)
            self.speaksSockudo.append(false)
            mustClose.append(false)
            subscriptions.append([])
            pending.grow(toSlots: sinks.count)
            slotsToClose.reserveCapacity(sinks.count)
        }
        sinks[Int(slot)] = sink
        self.compresses[Int(slot)] = compresses
        self.speaksSockudo[Int(slot)] = speaksSockudo
        if compresses { compression?.connectionAdded() }
        mustClose[Int(slot)] = false
        statistics.connections += 1
        return slot
    }

    /// Removes the connection in `slot` from every channel and frees the slot.
    package func unregister(_ slot: UInt32) {
        let index = Int(slot)
        guard sinks[index] != nil else { return }
        for key in subscriptions[index] { removeSubscriber(slot, from: key) }
        subscriptions[index] = []
        sinks[index] = nil
        if compresses[index] {
            compresses[index] = false
            compression?.connectionRemoved()
        }
        pending.clear(slot: index)
        freeSlots.append(slot)
        statistics.connections -= 1
    }

    /// Subscribes `slot` to `key`; returns `false` if it already was.
    @discardableResult
    package func subscribe(_ slot: UInt32, to key: ChannelKey) -> Bool {
        guard subscriptions[Int(slot)].insert(key).inserted else { return false }
        let list: SubscriberList
        if let existing = channels[key] {
            list = existing
        } else {
            list = SubscriberList()
            channels[key] = list
        }
        list.insert(slot)
        statistics.subscriptions += 1
        return true
    }

    /// Subscribes `slot` to the presence channel `key` whose roster, as sent to this subscriber,
    /// is at `presenceVersion`; membership events up to that version will skip it.
    @discardableResult
    package func subscribe(_ slot: UInt32, to key: ChannelKey, presenceVersion: UInt64) -> Bool {
        guard subscribe(slot, to: key) else { return false }
        presenceJoinVersions[key, default: [:]][slot] = presenceVersion
        return true
    }

    /// Unsubscribes `slot` from `key`; returns `false` if it was not subscribed.
    @discardableResult
    package func unsubscribe(_ slot: UInt32, from key: ChannelKey) -> Bool {
        guard subscriptions[Int(slot)].remove(key) != nil else { return false }
        removeSubscriber(slot, from: key)
        return true
    }

    /// Whether `slot` is subscribed to `key`.
    package func isSubscribed(_ slot: UInt32, to key: ChannelKey) -> Bool {
        subscriptions[Int(slot)].contains(key)
    }

    /// The channels `slot` is subscribed to.
    package func channels(of slot: UInt32) -> Set<ChannelKey> {
        subscriptions[Int(slot)]
    }

    /// The number of this shard's connections subscribed to `key`.
    package func subscriberCount(_ key: ChannelKey) -> Int {
        (channels[key]?.count ?? 0) + (audiences[key]?.count ?? 0)
    }

    private func removeSubscriber(_ slot: UInt32, from key: ChannelKey) {
        if removeFromAudience(slot, of: key) { return }
        guard let list = channels[key] else { return }
        list.remove(slot)
        presenceJoinVersions[key]?[slot] = nil
        if list.isEmpty {
            channels[key] = nil
            presenceJoinVersions[key] = nil
        }
        statistics.subscriptions -= 1
    }

    // MARK: Fan-out

    /// Queues `frame` for every subscriber of `key` but `excluded`; returns how many got it.
    ///
    /// Nothing is written until ``flush()``.
    @discardableResult
    package func enqueue(
        _ frame: ByteBuffer,
        compressed: ByteBuffer? = nil,
        sockudo: ByteBuffer? = nil,
        to key: ChannelKey,
        excluding excluded: UInt32? = nil
    ) -> Int {
        guard let list = channels[key] else { return 0 }
        let sequence = ring.append(frame, compressed: compressed, sockudo: sockudo)
        var queued = list.slots.withUnsafeBufferPointer { slots in
            pending.push(sequence, to: slots, skipping: excluded ?? UInt32.max)
        }
        for slot in pending.fullSlots where makeRoom(in: slot) {
            pending.push(sequence, slot: Int(slot))
            queued &+= 1
        }
        statistics.framesQueued &+= queued
        return queued
    }

    /// Queues a presence membership event (`member_added`/`member_removed`) of roster version
    /// `version` for the subscribers of `key` that joined before it — those whose roster snapshot
    /// does not already reflect it — but `excluded`.
    @discardableResult
    package func enqueue(
        _ frame: ByteBuffer,
        compressed: ByteBuffer? = nil,
        sockudo: ByteBuffer? = nil,
        to key: ChannelKey,
        excluding excluded: UInt32?,
        presenceVersion version: UInt64
    ) -> Int {
        guard let list = channels[key] else { return 0 }
        let joined = presenceJoinVersions[key] ?? [:]
        var sequence: UInt64?
        var queued = 0
        for slot in list.slots where slot != excluded && joined[slot, default: 0] < version {
            let current = sequence ?? ring.append(frame, compressed: compressed, sockudo: sockudo)
            sequence = current
            queue(current, for: slot)
            queued += 1
        }
        statistics.framesQueued &+= queued
        return queued
    }

    /// Queues `frame` for the one connection in `slot` (server-to-user messages, replies that must
    /// stay in order with broadcasts), compressed for it when it takes compression.
    package func enqueue(_ frame: ByteBuffer, toSlot slot: UInt32) {
        guard sinks[Int(slot)] != nil else { return }
        let compressed = compresses[Int(slot)] ? compression?.compressed(frame) : nil
        queue(ring.append(frame, compressed: compressed), for: slot)
        statistics.framesQueued &+= 1
    }

    func queue(_ sequence: UInt64, for slot: UInt32) {
        guard !pending.isFull(Int(slot)) || makeRoom(in: slot) else { return }
        pending.push(sequence, slot: Int(slot))
    }

    /// Applies the slow-consumer policy to a full slot; returns whether it now has room.
    func makeRoom(in slot: UInt32) -> Bool {
        switch limits.policy {
        case .dropOldest:
            pending.removeFirst(slot: Int(slot))
            statistics.droppedFrames &+= 1
            return true
        case .close:
            markForClosing(slot)
            return false
        }
    }

    func markForClosing(_ slot: UInt32) {
        guard !mustClose[Int(slot)] else { return }
        mustClose[Int(slot)] = true
        slotsToClose.append(slot)
    }

    /// Writes every queued frame of every writable connection touched since the last flush, one
    /// flush per connection, and applies the slow-consumer policy to those that fell behind.
    package func flush() {
        // Index-based: a sink may re-enter the shard while being written to.
        var dirtyIndex = 0
        while dirtyIndex < pending.dirtyCount {
            drain(pending.dirtySlot(dirtyIndex))
            dirtyIndex += 1
        }
        pending.clearDirty()
        closeMarkedSlots()
        releaseRingIfDrained()
    }

    /// Writes what `slot` has queued once its connection is writable again; closes it when frames
    /// it still needed were evicted from the ring meanwhile (policy `close`).
    package func resume(_ slot: UInt32) {
        drain(slot)
        closeMarkedSlots()
        releaseRingIfDrained()
    }

    private func closeMarkedSlots() {
        for slot in slotsToClose {
            let index = Int(slot)
            guard mustClose[index], let sink = sinks[index] else { continue }
            pending.clear(slot: index)
            statistics.slowConsumersClosed += 1
            sink.close(code: .slowConsumer)
        }
        slotsToClose.removeAll(keepingCapacity: true)
    }

    private func releaseRingIfDrained() {
        if pending.slotsWithPending == 0 { ring.release(before: ring.nextSequence) }
    }

    private func drain(_ slot: UInt32) {
        let index = Int(slot)
        guard let sink = sinks[index], !mustClose[index], pending.count(index) > 0 else { return }
        var wrote = false
        let compressed = compresses[index]
        let sockudo = speaksSockudo[index]
        while pending.count(index) > 0, sink.isWritable {
            let sequence = pending.first(index)
            pending.removeFirst(slot: index)
            if let frame = ring.frame(sequence, compressed: compressed, sockudo: sockudo) {
                sink.write(frame)
                statistics.framesWritten &+= 1
                statistics.bytesWritten &+= frame.readableBytes
                wrote = true
            } else if limits.policy == .close {
                markForClosing(slot)
                break
            } else {
                statistics.droppedFrames &+= 1
            }
        }
        if wrote {
            statistics.flushes &+= 1
            sink.flush()
        }
    }
}

@available(*, unavailable)
extension BroadcastShard: Sendable {}

/// Counters of one shard, read on its event loop.
package struct ShardStatistics: Sendable, Hashable {
    package var connections = 0
    package var subscriptions = 0
    /// Frame deliveries queued (one per subscriber per frame).
    package var framesQueued = 0
    /// Frames handed to connections (a batch's joined frames count once).
    package var framesWritten = 0
    /// Bytes of those frames.
    package var bytesWritten = 0
    /// Connection flushes that wrote at least one frame.
    package var flushes = 0
    /// Frames a slow subscriber lost under ``SlowConsumerPolicy/dropOldest``.
    package var droppedFrames = 0
    /// Connections closed with 4100 under ``SlowConsumerPolicy/close``.
    package var slowConsumersClosed = 0

    package init() {}
}
