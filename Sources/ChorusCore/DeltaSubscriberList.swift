/// The subscribers of one channel (one filter group) on one shard that take deltas of one
/// algorithm, each with what it holds of the channel: the sequence of the last message it was sent,
/// and the sequence from which it holds every later message (or, after a cache sync, every base).
///
/// A subscriber gets a delta only when nothing of the channel went past it since its last message
/// and it holds the delta's base; otherwise it gets the full message and holds from there. Flat
/// parallel arrays, O(1) removal by swapping the last subscriber into the gap.
final class DeltaSubscriberList {
    private(set) var slots: [UInt32] = []
    /// The channel sequence last sent to `slots[i]`; 0 when none (a new subscriber, or after a sync error).
    private(set) var lastSequences: [UInt64] = []
    /// The lowest base `slots[i]` holds: the first message of its unbroken run, or 0 after a cache
    /// sync (which gave it the last message of every conflation key).
    private(set) var heldFrom: [UInt64] = []
    private var positions: [UInt32: Int] = [:]

    init() {}

    var isEmpty: Bool { slots.isEmpty }
    var count: Int { slots.count }

    /// Adds `slot` holding nothing, or — when it was sent a cache sync at channel sequence
    /// `syncedAt` — holding the base of every conflation key; returns `false` if it was there.
    @discardableResult
    func insert(_ slot: UInt32, syncedAt: UInt64? = nil) -> Bool {
        guard positions[slot] == nil else { return false }
        positions[slot] = slots.count
        slots.append(slot)
        lastSequences.append(syncedAt ?? 0)
        heldFrom.append(syncedAt == nil ? UInt64.max : 0)
        return true
    }

    /// Removes `slot`; returns `false` if it was not there.
    @discardableResult
    func remove(_ slot: UInt32) -> Bool {
        guard let position = positions.removeValue(forKey: slot) else { return false }
        let last = slots.removeLast()
        let lastSequence = lastSequences.removeLast()
        let lastHeld = heldFrom.removeLast()
        if position < slots.count {
            slots[position] = last
            lastSequences[position] = lastSequence
            heldFrom[position] = lastHeld
            positions[last] = position
        }
        return true
    }

    func contains(_ slot: UInt32) -> Bool { positions[slot] != nil }

    /// Forgets what `slot` holds, so its next message of the channel is a full one.
    func resetBase(_ slot: UInt32) {
        guard let position = positions[slot] else { return }
        lastSequences[position] = 0
        heldFrom[position] = UInt64.max
    }

    /// Whether the subscriber at `index` can rebuild message `sequence` from a delta against `base`.
    func holdsBase(at index: Int, sequence: UInt64, base: UInt64) -> Bool {
        Self.holds(last: lastSequences[index], heldFrom: heldFrom[index], sequence: sequence, base: base)
    }

    @inline(__always)
    private static func holds(last: UInt64, heldFrom: UInt64, sequence: UInt64, base: UInt64) -> Bool {
        last != 0 && last &+ 1 == sequence && base >= heldFrom
    }

    /// How many subscribers but `skipping` hold the base of message `sequence` (`base`), and how
    /// many do not. One pass over flat buffers: this runs once per event for every delta subscriber.
    func countHolding(sequence: UInt64, base: UInt64, skipping: UInt32) -> (holding: Int, others: Int) {
        var holding = 0
        var others = 0
        slots.withUnsafeBufferPointer { slots in
            lastSequences.withUnsafeBufferPointer { last in
                heldFrom.withUnsafeBufferPointer { held in
                    for index in 0..<slots.count where slots[index] != skipping {
                        if Self.holds(last: last[index], heldFrom: held[index], sequence: sequence, base: base) {
                            holding &+= 1
                        } else {
                            others &+= 1
                        }
                    }
                }
            }
        }
        return (holding, others)
    }

    /// Records that every subscriber but `skipping` was sent message `sequence` (as a delta or in
    /// full). One that received every message before it goes on; one sent it after a gap (or as
    /// its first) holds from there; one sent an older message late (one its cache sync already
    /// had) keeps what it held.
    func recordSent(_ sequence: UInt64, skipping: UInt32) {
        slots.withUnsafeBufferPointer { slots in
            lastSequences.withUnsafeMutableBufferPointer { last in
                heldFrom.withUnsafeMutableBufferPointer { held in
                    for index in 0..<slots.count where slots[index] != skipping {
                        let previous = last[index]
                        if previous != 0 && previous &+ 1 == sequence {
                            // Continuous: it received every message up to this one.
                            last[index] = sequence
                        } else if sequence > previous {
                            last[index] = sequence
                            held[index] = sequence
                        }
                    }
                }
            }
        }
    }
}

@available(*, unavailable)
extension DeltaSubscriberList: Sendable {}
