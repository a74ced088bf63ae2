/// One load run described declaratively: its workloads (who subscribes where, what is published
/// and how fast), for how many events or how long, and what judges it.
///
/// Scenario files are YAML or JSON (see `docs/load.md`); ``ScenarioParser`` reads them and
/// rejects bad fields by name.
public struct Scenario: Sendable, Hashable {
    /// The most connections one generator process opens.
    public static let maximumSubscribers = 10_000

    /// What kind of channel the subscribers join.
    public enum ChannelKind: String, Sendable, Hashable, CaseIterable {
        case `public`
        case `private`
        case presence

        /// The channel name prefix the kind implies.
        public var namePrefix: String {
            switch self {
            case .public: ""
            case .private: "private-"
            case .presence: "presence-"
            }
        }
    }

    /// Presence members that leave and rejoin while events are published.
    public struct PresenceChurn: Sendable, Hashable {
        /// Extra connections (beyond ``Workload/subscribers``) that churn; their deliveries are not checked.
        public var connections: Int
        /// How often each churning connection toggles between unsubscribed and subscribed.
        public var intervalMilliseconds: Int

        public init(connections: Int, intervalMilliseconds: Int) {
            self.connections = connections
            self.intervalMilliseconds = intervalMilliseconds
        }
    }

    /// Publishing through client events sent by subscribers instead of the HTTP API.
    public struct ClientEvents: Sendable, Hashable {
        /// Client events per second from each sender (servers allow 10 per connection).
        public var ratePerSender: Double

        public init(ratePerSender: Double) {
            self.ratePerSender = ratePerSender
        }
    }

    /// How subscribers opt in to delta compression (a Sockudo extension).
    public enum DeltaMode: String, Sendable, Hashable, CaseIterable {
        /// `"delta": true` in each subscribe request.
        case subscription
        /// `pusher:enable_delta_compression` once per connection, before subscribing.
        case connection
    }

    /// How long a run publishes: a number of events per workload, or a time.
    public enum Length: Sendable, Hashable {
        /// Each workload publishes this many measured events.
        case events(Int)
        /// Each workload publishes at its rate for this many seconds.
        case seconds(Double)
    }

    public var name: String
    public var description: String?
    /// What runs at the same time; the single-workload form has one, without a name.
    public var workloads: [Workload]
    /// `events` or `duration_seconds`.
    public var length: Length
    /// Events each workload publishes before measuring; checked for loss, not recorded in latency.
    public var warmup: Int
    /// Connections being opened at the same time.
    public var connectConcurrency: Int
    /// Seconds allowed for opening and subscribing every connection.
    public var connectTimeout: Double
    /// Seconds allowed, after the last publish, for every delivery to arrive.
    public var drainTimeout: Double
    /// Whether losing deliveries is acceptable for this scenario (the run does not fail on it).
    public var expectLoss: Bool
    /// Whether out-of-order deliveries on a channel are acceptable (the run does not fail on them).
    /// Per-channel order is a guarantee for a single publisher, so this is off by default.
    public var expectReorder: Bool
    /// Seconds between time series points when a scenario does not say: one point a second.
    public static let defaultSampleIntervalSeconds = 1.0
    /// Seconds between two points of the report's time series.
    public var sampleIntervalSeconds: Double
    /// The most the server's RSS may grow per hour over the second half of the run (least-squares
    /// fit of the time series); `nil` reports the trend without judging it.
    public var maxRSSGrowthMiBPerHour: Double?
    /// The same for the server's open descriptors.
    public var maxDescriptorGrowthPerHour: Double?
    /// The servers subscribers are spread over (`targets`), `nil` to take them from the command line.
    public var targets: [ServerAddress]?
    /// The index in ``targets`` of the server publishes go to (`publish_target`), `nil` for the first.
    public var publishTarget: Int?
    /// Limits on the report's figures (`thresholds`); any not met fails the run.
    public var thresholds: [Threshold]
    /// Generator processes the subscribers are split over (`workers`; `--workers` overrides it),
    /// `nil` for one process.
    public var workers: Int?

    public init(
        name: String,
        description: String? = nil,
        workloads: [Workload],
        length: Length,
        warmup: Int = 0,
        connectConcurrency: Int = 200,
        connectTimeout: Double = 60,
        drainTimeout: Double = 30,
        expectLoss: Bool = false,
        expectReorder: Bool = false,
        sampleIntervalSeconds: Double = Scenario.defaultSampleIntervalSeconds,
        maxRSSGrowthMiBPerHour: Double? = nil,
        maxDescriptorGrowthPerHour: Double? = nil,
        targets: [ServerAddress]? = nil,
        publishTarget: Int? = nil,
        thresholds: [Threshold] = [],
        workers: Int? = nil
    ) {
        self.name = name
        self.description = description
        self.workloads = workloads
        self.length = length
        self.warmup = warmup
        self.connectConcurrency = connectConcurrency
        self.connectTimeout = connectTimeout
        self.drainTimeout = drainTimeout
        self.expectLoss = expectLoss
        self.expectReorder = expectReorder
        self.sampleIntervalSeconds = sampleIntervalSeconds
        self.maxRSSGrowthMiBPerHour = maxRSSGrowthMiBPerHour
        self.maxDescriptorGrowthPerHour = maxDescriptorGrowthPerHour
        self.targets = targets
        self.publishTarget = publishTarget
        self.thresholds = thresholds
        self.workers = workers
    }

    /// Every connection the run opens, over all workloads.
    public var totalConnections: Int { workloads.reduce(0) { $0 + $1.totalConnections } }

    /// Checked subscribers over all workloads.
    public var subscribers: Int { workloads.reduce(0) { $0 + $1.subscribers } }

    /// Measured events workload `index` publishes.
    public func events(ofWorkload index: Int) -> Int {
        switch length {
        case .events(let count): count
        case .seconds(let seconds): max(1, Int((workloads[index].eventsPerSecond * seconds).rounded()))
        }
    }

    /// The name of channel `channel` of workload `workload`: `load-<scenario>-<i>` in the
    /// single-workload form, `load-<scenario>-<workload>-<i>` otherwise, after the kind's prefix
    /// and the workload's ``Workload/channelPrefix``.
    public func channelName(_ channel: Int, workload: Int = 0) -> String {
        let load = workloads[workload]
        let stem = load.name.map { "load-\(name)-\($0)" } ?? "load-\(name)"
        return "\(load.channelKind.namePrefix)\(load.channelPrefix)\(stem)-\(channel)"
    }

    /// Whether any workload reads its history back after the run.
    public var checksHistory: Bool { workloads.contains(where: \.historyCheck) }
}
