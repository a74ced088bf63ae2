/// What the history check found after a run (`history_check: true`): the storage counterpart of
/// the delivery counters, summed over the checked channels.
public struct HistoryFigures: Sendable, Hashable, Codable {
    /// Channels whose history was read.
    public var channels: Int
    /// Events the server acknowledged (HTTP 2xx) on them, warm-up included.
    public var acknowledged: Int
    /// History items of the run read back.
    public var stored: Int
    /// Acknowledged events absent from history: storage loss.
    public var missing: Int = 0
    /// Items repeating an event already read.
    public var duplicates: Int = 0
    /// Items older (by publish order) than one read before them.
    public var disorder: Int = 0
    /// Stored events whose request got no 2xx (e.g. a timeout after the commit); not a failure.
    public var unacknowledged: Int = 0
    /// Items whose data carries no sequence number (published by someone else).
    public var unreadable: Int = 0
    /// Why the history could not be read, per channel (the first few); reading failures fail the run.
    public var errors: [String] = []

    public init(channels: Int, acknowledged: Int, stored: Int) {
        self.channels = channels
        self.acknowledged = acknowledged
        self.stored = stored
    }

    /// Adds another channel's (or workload's) figures.
    public mutating func add(_ other: HistoryFigures) {
        channels += other.channels
        acknowledged += other.acknowledged
        stored += other.stored
        missing += other.missing
        duplicates += other.duplicates
        disorder += other.disorder
        unacknowledged += other.unacknowledged
        unreadable += other.unreadable
        errors += other.errors.prefix(max(0, 5 - errors.count))
    }

    /// Why these figures fail a run: storage loss, duplicates, disorder, unreadable history.
    public var failures: [String] {
        var failures: [String] = []
        if missing > 0 { failures.append("\(missing) of \(acknowledged) acknowledged events missing from history") }
        if duplicates > 0 { failures.append("\(duplicates) events stored twice in history") }
        if disorder > 0 { failures.append("\(disorder) history items out of publish order") }
        if !errors.isEmpty { failures.append("history could not be read: \(errors[0])") }
        return failures
    }

    enum CodingKeys: String, CodingKey {
        case channels, acknowledged, stored, missing, duplicates, disorder, unacknowledged, unreadable, errors
    }
}
