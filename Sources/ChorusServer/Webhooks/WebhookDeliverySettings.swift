/// How an app's webhooks are delivered: batching, the delay of departures, retries and the bound
/// on waiting events. Every field has a default; tests shorten the times.
public struct WebhookDeliverySettings: Sendable, Hashable, Codable, ConfigurationSection {
    /// Events that occur within this window of the first one go out in one request.
    public var batchWindowMilliseconds: Int = 50
    /// `channel_vacated` and `member_removed` wait this long and are dropped, with the matching
    /// `channel_occupied` / `member_added`, when the channel or member comes back in time.
    public var vacateDelayMilliseconds: Int = 3000
    /// A request that has no complete answer by then counts as failed.
    public var requestTimeoutMilliseconds: Int = 5000
    /// The wait before the first retry; each further retry waits twice as long.
    public var retryBackoffMilliseconds: Int = 500
    /// No retry starts later than this after the first attempt; the batch is dropped instead.
    public var retryBudgetMilliseconds: Int = 60_000
    /// Events waiting for delivery, per app and per target; beyond it new events are dropped.
    public var queueCapacity: Int = 10_000

    /// Events in one request at most.
    static let maxBatchEvents = 100

    public init() {}

    /// The settings as the configuration file names them (under `webhook_delivery`), each with
    /// its rule; the defaults are the initial values above.
    package static var settings: [ConfigurationSetting<Self>] {
        [
            .int("batch_window_ms", \.batchWindowMilliseconds, .within(0...60_000)),
            .int("vacate_delay_ms", \.vacateDelayMilliseconds, .within(0...600_000)),
            .int("request_timeout_ms", \.requestTimeoutMilliseconds, .within(1...600_000)),
            .int("retry_backoff_ms", \.retryBackoffMilliseconds, .within(1...600_000)),
            .int("retry_budget_ms", \.retryBudgetMilliseconds, .within(0...86_400_000)),
            .int("queue_capacity", \.queueCapacity, .within(1...10_000_000)),
        ]
    }

    public init(from decoder: any Decoder) throws {
        try decodeSettings(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeSettings(to: encoder)
    }
}
