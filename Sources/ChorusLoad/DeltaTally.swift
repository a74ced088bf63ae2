/// What one event loop's connections saw of delta compression: counters, every distinct message
/// text delta subscribers ended up with per event, and the text each plain reference subscriber
/// received for it. Comparing the two, byte for byte, happens once at the end (``comparison``), so
/// the order in which loops receive an event does not matter.
package struct DeltaTally: Sendable {
    /// One event: its channel index and its sequence number in that channel.
    package struct Key: Sendable, Hashable {
        package var channel: Int
        package var sequence: Int64

        package init(channel: Int, sequence: Int64) {
            self.channel = channel
            self.sequence = sequence
        }
    }

    /// The texts delta subscribers had for one event; nearly always one, so that one is compared
    /// directly and only differing texts are hashed.
    package struct Texts: Sendable {
        package var first: [UInt8]
        package var firstCount: Int64 = 1
        package var others: [[UInt8]: Int64] = [:]

        package mutating func add(_ texts: Texts) {
            add(texts.first, count: texts.firstCount)
            for (text, count) in texts.others { add(text, count: count) }
        }

        package mutating func add(_ text: [UInt8], count: Int64 = 1) {
            if text == first {
                firstCount += count
            } else {
                others[text, default: 0] += count
            }
        }

        package var total: Int64 { others.values.reduce(firstCount, +) }

        /// How many of the texts differ from `reference`.
        package func mismatches(against reference: [UInt8]) -> Int64 {
            var count = first == reference ? 0 : firstCount
            for (text, times) in others where text != reference { count += times }
            return count
        }
    }

    /// Event deliveries to delta subscribers.
    package var messages: Int64 = 0
    /// Of ``messages``, those rebuilt from a `pusher:delta`.
    package var rebuilt: Int64 = 0
    /// Deltas that could not be applied (each answered with `pusher:delta_sync_error`).
    package var syncErrors: Int64 = 0
    /// Bytes of those deliveries' frames as received.
    package var receivedBytes: Int64 = 0
    /// Bytes the same deliveries would have taken as full messages.
    package var fullBytes: Int64 = 0
    private(set) var texts: [Key: Texts] = [:]
    private(set) var references: [Key: [UInt8]] = [:]

    package init() {}

    package mutating func recordMessage(_ text: [UInt8], key: Key, frameBytes: Int, rebuilt: Bool) {
        messages += 1
        if rebuilt { self.rebuilt += 1 }
        receivedBytes += Int64(frameBytes)
        fullBytes += Int64(text.count)
        if let index = texts.index(forKey: key) {
            texts.values[index].add(text)
        } else {
            texts[key] = Texts(first: text)
        }
    }

    /// Messages the reference subscribers hold.
    package var referenceCount: Int { references.count }

    package mutating func recordReference(_ text: [UInt8], key: Key) {
        references[key] = text
    }

    package mutating func add(_ other: DeltaTally) {
        messages += other.messages
        rebuilt += other.rebuilt
        syncErrors += other.syncErrors
        receivedBytes += other.receivedBytes
        fullBytes += other.fullBytes
        for (key, texts) in other.texts {
            if let index = self.texts.index(forKey: key) {
                self.texts.values[index].add(texts)
            } else {
                self.texts[key] = texts
            }
        }
        references.merge(other.references) { first, _ in first }
    }

    /// Delta subscribers' messages compared with a reference, those that differed, and those
    /// without a reference to compare with (the reference subscriber missed the event).
    package var comparison: (compared: Int64, mismatches: Int64, unreferenced: Int64) {
        var result: (compared: Int64, mismatches: Int64, unreferenced: Int64) = (0, 0, 0)
        for (key, texts) in texts {
            guard let reference = references[key] else {
                result.unreferenced += texts.total
                continue
            }
            result.compared += texts.total
            result.mismatches += texts.mismatches(against: reference)
        }
        return result
    }
}
