public import ChorusProtocol

/// One kind of traffic in a run: who subscribes where, and what is published to them how fast.
///
/// A ``Scenario`` runs one or more workloads at once over one connection pool; each keeps its own
/// channels, publishers and loss accounting.
public struct Workload: Sendable, Hashable {
    /// Names the workload's channels and report row; `nil` in the single-workload form, whose
    /// channels keep the scenario's name alone.
    public var name: String?
    /// Connections whose deliveries are checked.
    public var subscribers: Int
    /// Channels the subscribers are spread over, round robin.
    public var channels: Int
    /// Public, private or presence channels.
    public var channelKind: Scenario.ChannelKind
    /// Events per HTTP request: 1 uses `events`, more uses `batch_events`.
    public var batchSize: Int
    /// Target events per second over all publishers; 0 publishes as fast as the server accepts.
    public var rate: Double
    /// Concurrent keep-alive HTTP publishers; channels are partitioned among them so each
    /// channel's events leave in sequence order.
    public var publishers: Int
    /// Sizes of the events' `data` strings, cycled by sequence number (one size: every event).
    public var payloadBytes: [Int]
    /// The published events' name (`client-…` for client events).
    public var eventName: String
    /// Presence members that leave and rejoin while events are published.
    public var presenceChurn: Scenario.PresenceChurn?
    /// Publishing through client events instead of the HTTP API.
    public var clientEvents: Scenario.ClientEvents?
    /// Whether subscribers take deltas; each channel then also gets one plain reference subscriber
    /// whose messages every rebuilt message is compared with.
    public var delta: Scenario.DeltaMode?
    /// The delta format delta subscribers ask for (`delta_algorithm`: `fossil` or `xdelta3`).
    public var deltaAlgorithm: DeltaAlgorithm
    /// Put in front of the channel names (after the kind's `private-`/`presence-`), e.g. `hist-`
    /// to land on the channels a server keeps history for.
    public var channelPrefix: String
    /// Whether, after the run, the workload's channel history is read back and every acknowledged
    /// event must be there exactly once, in publish order (``HistoryAudit``).
    public var historyCheck: Bool

    public init(
        name: String? = nil,
        subscribers: Int,
        channels: Int = 1,
        channelKind: Scenario.ChannelKind = .public,
        batchSize: Int = 1,
        rate: Double = 0,
        publishers: Int = 1,
        payloadBytes: [Int] = [100],
        eventName: String = "load",
        presenceChurn: Scenario.PresenceChurn? = nil,
        clientEvents: Scenario.ClientEvents? = nil,
        delta: Scenario.DeltaMode? = nil,
        deltaAlgorithm: DeltaAlgorithm = .fossil,
        channelPrefix: String = "",
        historyCheck: Bool = false
    ) {
        self.name = name
        self.subscribers = subscribers
        self.channels = channels
        self.channelKind = channelKind
        self.batchSize = batchSize
        self.rate = rate
        self.publishers = publishers
        self.payloadBytes = payloadBytes
        self.eventName = eventName
        self.presenceChurn = presenceChurn
        self.clientEvents = clientEvents
        self.delta = delta
        self.deltaAlgorithm = deltaAlgorithm
        self.channelPrefix = channelPrefix
        self.historyCheck = historyCheck
    }

    /// Every connection the workload opens: checked subscribers, churning presence members and
    /// delta reference subscribers.
    public var totalConnections: Int { subscribers + (presenceChurn?.connections ?? 0) + referenceSubscribers }

    /// Plain subscribers, one per channel, that delta runs compare rebuilt messages with.
    public var referenceSubscribers: Int { delta == nil ? 0 : channels }

    /// Events per second over the whole workload: the HTTP rate, or every sender's client events.
    public var eventsPerSecond: Double {
        if let clientEvents { return clientEvents.ratePerSender * Double(channels) }
        return rate
    }

    /// The size of the `data` of a channel's event `sequence`.
    public func payloadBytes(forSequence sequence: Int64) -> Int {
        payloadBytes[Int(sequence % Int64(payloadBytes.count))]
    }

    /// The channel subscriber `index` joins.
    public func channelIndex(ofSubscriber index: Int) -> Int { index % channels }

    /// Checked subscribers on channel `index`.
    public func subscriberCount(onChannel index: Int) -> Int {
        subscribers / channels + (index < subscribers % channels ? 1 : 0)
    }
}
