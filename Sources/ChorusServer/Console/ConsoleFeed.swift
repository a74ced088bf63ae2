package import NIOCore

/// The live log of one app as the console's viewers read it: the latest ``capacity`` entries, of
/// which at most ``maximumPerSecond`` are kept in any one-second window; entries over that rate are
/// only counted, and each viewer is told how many it did not see.
///
/// A value without a clock: every call is given the time, so tests drive it with any instants.
package struct ConsoleFeed: Sendable {
    /// Where a viewer has read up to.
    package struct Cursor: Sendable, Equatable {
        /// The sequence number of the next entry the viewer will read.
        var sequence: UInt64
        /// How many entries had been sampled out when the viewer last read.
        var sampledOut: UInt64
    }

    /// What a viewer gets on one read.
    package struct Reading: Sendable {
        /// The entries recorded since the cursor, oldest first.
        package var entries: [ConsoleEntry]
        /// Entries since the cursor that the viewer will never see: sampled out, or pushed out of
        /// the buffer before it read them.
        package var notShown: Int
        /// Where the next read starts.
        package var next: Cursor
    }

    package let capacity: Int
    package let maximumPerSecond: Int
    private var entries = CircularBuffer<ConsoleEntry>()
    private var nextSequence: UInt64 = 0
    private var sampledOut: UInt64 = 0
    private var windowStart: NIODeadline?
    private var keptInWindow = 0

    package init(capacity: Int, maximumPerSecond: Int) {
        precondition(capacity > 0 && maximumPerSecond > 0)
        self.capacity = capacity
        self.maximumPerSecond = maximumPerSecond
        entries.reserveCapacity(capacity)
    }

    /// Keeps `entry`, unless ``maximumPerSecond`` entries were kept in the window `now` falls in;
    /// the oldest entry goes when the buffer is full.
    package mutating func record(_ entry: ConsoleEntry, now: NIODeadline) {
        if let start = windowStart, now - start < .seconds(1) {
            guard keptInWindow < maximumPerSecond else {
                sampledOut += 1
                return
            }
        } else {
            windowStart = now
            keptInWindow = 0
        }
        keptInWindow += 1
        if entries.count == capacity { entries.removeFirst() }
        entries.append(entry)
        nextSequence += 1
    }

    /// Where a new viewer starts: after everything recorded so far.
    package var end: Cursor { Cursor(sequence: nextSequence, sampledOut: sampledOut) }

    /// What was recorded after `cursor`, and how much of it the viewer missed.
    package func read(after cursor: Cursor) -> Reading {
        let oldest = nextSequence - UInt64(entries.count)
        let from = max(cursor.sequence, oldest)
        let pushedOut = from - cursor.sequence
        return Reading(
            entries: Array(entries.suffix(Int(nextSequence - from))),
            notShown: Int(pushedOut + sampledOut - cursor.sampledOut),
            next: end
        )
    }
}
