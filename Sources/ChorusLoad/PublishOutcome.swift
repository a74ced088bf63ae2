/// What one phase of publishing did.
package struct PublishOutcome: Sendable {
    /// Events the server accepted (or senders sent), per channel.
    package var acceptedPerChannel: [Int]
    package var requests = 0
    package var errors = 0
    /// The first few error messages.
    package var errorSamples: [String] = []
    package var requestLatency = LatencyHistogram()

    /// The sequence numbers accepted per channel, in publish order; kept only for workloads whose
    /// history is checked (`nil` otherwise).
    package var acknowledgedSequences: [[Int64]]?

    package init(channels: Int, keepingSequences: Bool = false) {
        acceptedPerChannel = Array(repeating: 0, count: channels)
        if keepingSequences { acknowledgedSequences = Array(repeating: [], count: channels) }
    }

    /// Counts one accepted event, keeping its sequence number when sequences are kept.
    package mutating func accept(channel: Int, sequence: Int64) {
        acceptedPerChannel[channel] += 1
        acknowledgedSequences?[channel].append(sequence)
    }

    /// Accepted events added by ``addTotals(_:)``, outside ``acceptedPerChannel``.
    private var acceptedElsewhere = 0

    package var accepted: Int { acceptedPerChannel.reduce(0, +) + acceptedElsewhere }

    package mutating func recordError(_ message: String) {
        errors += 1
        if errorSamples.count < 5 { errorSamples.append(message) }
    }

    /// Adds another outcome over the same channels.
    package mutating func add(_ other: PublishOutcome) {
        for (channel, accepted) in other.acceptedPerChannel.enumerated() { acceptedPerChannel[channel] += accepted }
        if let theirs = other.acknowledgedSequences {
            var mine = acknowledgedSequences ?? Array(repeating: [], count: acceptedPerChannel.count)
            for (channel, sequences) in theirs.enumerated() { mine[channel] += sequences }
            acknowledgedSequences = mine
        }
        acceptedElsewhere += other.acceptedElsewhere
        addCounters(other)
    }

    /// Adds another workload's outcome: its accepted events count towards ``accepted`` without
    /// channels of their own.
    package mutating func addTotals(_ other: PublishOutcome) {
        acceptedElsewhere += other.accepted
        addCounters(other)
    }

    private mutating func addCounters(_ other: PublishOutcome) {
        requests += other.requests
        errors += other.errors
        errorSamples += other.errorSamples.prefix(max(0, 5 - errorSamples.count))
        requestLatency.add(other.requestLatency)
    }
}
