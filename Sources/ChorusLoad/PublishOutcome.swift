/// What one phase of publishing did.
struct PublishOutcome: Sendable {
    /// Events the server accepted (or senders sent), per channel.
    var acceptedPerChannel: [Int]
    var requests = 0
    var errors = 0
    /// The first few error messages.
    var errorSamples: [String] = []
    var requestLatency = LatencyHistogram()

    init(channels: Int) {
        acceptedPerChannel = Array(repeating: 0, count: channels)
    }

    var accepted: Int { acceptedPerChannel.reduce(0, +) }

    mutating func recordError(_ message: String) {
        errors += 1
        if errorSamples.count < 5 { errorSamples.append(message) }
    }

    mutating func add(_ other: PublishOutcome) {
        for (channel, accepted) in other.acceptedPerChannel.enumerated() { acceptedPerChannel[channel] += accepted }
        requests += other.requests
        errors += other.errors
        errorSamples += other.errorSamples.prefix(max(0, 5 - errorSamples.count))
        requestLatency.add(other.requestLatency)
    }
}
