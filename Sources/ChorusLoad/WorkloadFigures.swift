/// One workload's shape and delivery accounting in a run of several workloads.
public struct WorkloadFigures: Sendable, Hashable, Codable {
    public var name: String
    public var subscribers: Int
    public var channels: Int
    public var channelKind: String
    /// `http` or `client_events`.
    public var source: String
    /// Events per second the workload aimed at over all its channels.
    public var rate: Double
    public var payloadBytes: [Int]
    /// Measured events the server accepted (or senders sent).
    public var events: Int
    /// Counted like ``LoadReport/Deliveries``, over the whole run (warm-up included).
    public var expected: Int64
    public var received: Int64
    public var unique: Int64
    public var lost: Int64
    public var duplicates: Int64
    public var outOfOrder: Int64
    public var presenceEvents: Int64
    /// The workload's measured-phase delivery latency; `nil` in reports written before it was kept.
    public var p50Milliseconds: Double?
    public var p99Milliseconds: Double?
    /// The workload's publish request latency (HTTP workloads; `nil` otherwise and in older reports).
    public var publishP50Milliseconds: Double?
    public var publishP99Milliseconds: Double?
    /// What the history check found on the workload's channels; `nil` unless it has `history_check`.
    public var history: HistoryFigures?

    public init(
        name: String,
        subscribers: Int,
        channels: Int,
        channelKind: String,
        source: String,
        rate: Double,
        payloadBytes: [Int],
        events: Int,
        expected: Int64,
        received: Int64,
        unique: Int64,
        lost: Int64,
        duplicates: Int64,
        outOfOrder: Int64,
        presenceEvents: Int64,
        p50Milliseconds: Double?,
        p99Milliseconds: Double?,
        publishP50Milliseconds: Double? = nil,
        publishP99Milliseconds: Double? = nil,
        history: HistoryFigures? = nil
    ) {
        self.name = name
        self.subscribers = subscribers
        self.channels = channels
        self.channelKind = channelKind
        self.source = source
        self.rate = rate
        self.payloadBytes = payloadBytes
        self.events = events
        self.expected = expected
        self.received = received
        self.unique = unique
        self.lost = lost
        self.duplicates = duplicates
        self.outOfOrder = outOfOrder
        self.presenceEvents = presenceEvents
        self.p50Milliseconds = p50Milliseconds
        self.p99Milliseconds = p99Milliseconds
        self.publishP50Milliseconds = publishP50Milliseconds
        self.publishP99Milliseconds = publishP99Milliseconds
        self.history = history
    }

    enum CodingKeys: String, CodingKey {
        case name, subscribers, channels, source, rate, events, expected, received, unique, lost, duplicates
        case channelKind = "channel_kind", payloadBytes = "payload_bytes", outOfOrder = "out_of_order"
        case presenceEvents = "presence_events", p50Milliseconds = "p50_ms", p99Milliseconds = "p99_ms"
        case publishP50Milliseconds = "publish_p50_ms", publishP99Milliseconds = "publish_p99_ms", history
    }
}
