/// One load run described declaratively: who subscribes where, what is published and how fast.
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
        /// Extra connections (beyond ``Scenario/subscribers``) that churn; their deliveries are not checked.
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

    public var name: String
    public var description: String?
    /// Connections whose deliveries are checked.
    public var subscribers: Int
    /// Channels the subscribers are spread over, round robin.
    public var channels: Int
    public var channelKind: ChannelKind
    /// Events published and measured (after warm-up).
    public var events: Int
    /// Events published before measuring; checked for loss, not recorded in latency.
    public var warmup: Int
    /// Events per HTTP request: 1 uses `events`, more uses `batch_events`.
    public var batchSize: Int
    /// Target events per second over all publishers; 0 publishes as fast as the server accepts.
    public var rate: Double
    /// Concurrent keep-alive HTTP publishers; channels are partitioned among them so each
    /// channel's events leave in sequence order.
    public var publishers: Int
    /// Size of each event's `data` string.
    public var payloadBytes: Int
    public var eventName: String
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
    public var presenceChurn: PresenceChurn?
    public var clientEvents: ClientEvents?
    /// Whether subscribers take deltas; each channel then also gets one plain reference subscriber
    /// whose messages every rebuilt message is compared with.
    public var delta: DeltaMode?

    public init(
        name: String,
        description: String? = nil,
        subscribers: Int,
        channels: Int = 1,
        channelKind: ChannelKind = .public,
        events: Int,
        warmup: Int = 0,
        batchSize: Int = 1,
        rate: Double = 0,
        publishers: Int = 1,
        payloadBytes: Int = 100,
        eventName: String = "load",
        connectConcurrency: Int = 200,
        connectTimeout: Double = 60,
        drainTimeout: Double = 30,
        expectLoss: Bool = false,
        expectReorder: Bool = false,
        presenceChurn: PresenceChurn? = nil,
        clientEvents: ClientEvents? = nil,
        delta: DeltaMode? = nil
    ) {
        self.name = name
        self.description = description
        self.subscribers = subscribers
        self.channels = channels
        self.channelKind = channelKind
        self.events = events
        self.warmup = warmup
        self.batchSize = batchSize
        self.rate = rate
        self.publishers = publishers
        self.payloadBytes = payloadBytes
        self.eventName = eventName
        self.connectConcurrency = connectConcurrency
        self.connectTimeout = connectTimeout
        self.drainTimeout = drainTimeout
        self.expectLoss = expectLoss
        self.expectReorder = expectReorder
        self.presenceChurn = presenceChurn
        self.clientEvents = clientEvents
        self.delta = delta
    }

    /// Every connection the run opens: checked subscribers, churning presence members and delta
    /// reference subscribers.
    public var totalConnections: Int { subscribers + (presenceChurn?.connections ?? 0) + referenceSubscribers }

    /// Plain subscribers, one per channel, that delta runs compare rebuilt messages with.
    public var referenceSubscribers: Int { delta == nil ? 0 : channels }

    /// The name of channel `index`.
    public func channelName(_ index: Int) -> String {
        "\(channelKind.namePrefix)load-\(name)-\(index)"
    }

    /// The channel subscriber `index` joins.
    public func channelIndex(ofSubscriber index: Int) -> Int { index % channels }

    /// Checked subscribers on channel `index`.
    public func subscriberCount(onChannel index: Int) -> Int {
        subscribers / channels + (index < subscribers % channels ? 1 : 0)
    }
}
