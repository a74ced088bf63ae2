/// Judges one channel's stored history against what the server acknowledged: every acknowledged
/// event there exactly once, in publish order.
///
/// Events are matched by the sequence number in their `data` (``EventPayload``). A workload's
/// channel is published by one worker in sequence order, so publish order is ascending sequence.
package struct HistoryAudit: Sendable, Hashable {
    /// Sequences the server acknowledged (HTTP 2xx) on the channel.
    package let acknowledged: Set<Int64>

    package init(acknowledged: some Sequence<Int64>) {
        self.acknowledged = Set(acknowledged)
    }

    /// Counts what is wrong with `stored`: the channel's history items of the run, oldest first, as
    /// their sequence numbers (`nil` for an item whose data carries none).
    package func check(stored: [Int64?]) -> HistoryFigures {
        var figures = HistoryFigures(channels: 1, acknowledged: acknowledged.count, stored: stored.count)
        var seen: Set<Int64> = []
        var highest: Int64?
        for sequence in stored {
            guard let sequence else {
                figures.unreadable += 1
                continue
            }
            guard seen.insert(sequence).inserted else {
                figures.duplicates += 1
                continue
            }
            if !acknowledged.contains(sequence) { figures.unacknowledged += 1 }
            if let last = highest, sequence < last {
                figures.disorder += 1
            } else {
                highest = sequence
            }
        }
        figures.missing = acknowledged.subtracting(seen).count
        return figures
    }
}
