/// What one phase of publishing did.
package struct PublishOutcome: Sendable {
    /// Events the server accepted (or senders sent), per channel.
    package var acceptedPerChannel: [Int]
    package var requests = 0
    package var errors = 0
    /// The first few error messages.
    package var errorSamples: [String] = []
    package var requestLatency = LatencyHistogram()

    package init(channels: Int) {
        acceptedPerChannel = Array(repeating: 0, count: channels)
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
