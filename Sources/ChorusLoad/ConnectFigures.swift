/// What opening the connections produced, as figures: counted by each process that opens
/// connections and summed over the worker processes of a `--workers` run.
package struct ConnectFigures: Sendable, Codable {
    /// The connections one server of the target took.
    package struct Share: Sendable, Hashable, Codable {
        package var connections = 0
        /// How many of them are checked subscribers.
        package var subscribers = 0

        package init(connections: Int = 0, subscribers: Int = 0) {
            self.connections = connections
            self.subscribers = subscribers
        }
    }

    package var opened = 0
    package var failures = 0
    package var firstError: String?
    /// Per-connection connect + upgrade + subscribe time.
    package var handshakes = LatencyHistogram()
    /// Wall time to open and subscribe every connection.
    package var seconds = 0.0
    /// Checked subscribers that subscribed, per workload and channel.
    package var subscribedPerChannel: [[Int]]
    /// Per server of the target, in ``LoadTarget/addresses`` order.
    package var perAddress: [Share]

    package init(
        opened: Int = 0,
        failures: Int = 0,
        firstError: String? = nil,
        handshakes: LatencyHistogram = LatencyHistogram(),
        seconds: Double = 0,
        subscribedPerChannel: [[Int]],
        perAddress: [Share] = []
    ) {
        self.opened = opened
        self.failures = failures
        self.firstError = firstError
        self.handshakes = handshakes
        self.seconds = seconds
        self.subscribedPerChannel = subscribedPerChannel
        self.perAddress = perAddress
    }

    /// Adds another process's figures over the same scenario and target: counts summed, the
    /// slower opening time kept.
    package mutating func add(_ other: ConnectFigures) {
        opened += other.opened
        failures += other.failures
        firstError = firstError ?? other.firstError
        handshakes.add(other.handshakes)
        seconds = max(seconds, other.seconds)
        subscribedPerChannel = zip(subscribedPerChannel, other.subscribedPerChannel).map { zip($0, $1).map(+) }
        perAddress = zip(perAddress, other.perAddress).map {
            Share(connections: $0.connections + $1.connections, subscribers: $0.subscribers + $1.subscribers)
        }
    }
}
