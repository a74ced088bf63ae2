/// How an app's webhooks are delivered: batching, the delay of departures, retries and the bound
/// on waiting events. Every field has a default; tests shorten the times.
public struct WebhookDeliverySettings: Sendable, Hashable, Codable {
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

    enum CodingKeys: String, CodingKey, CaseIterable {
        case batchWindowMilliseconds = "batch_window_ms"
        case vacateDelayMilliseconds = "vacate_delay_ms"
        case requestTimeoutMilliseconds = "request_timeout_ms"
        case retryBackoffMilliseconds = "retry_backoff_ms"
        case retryBudgetMilliseconds = "retry_budget_ms"
        case queueCapacity = "queue_capacity"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try UnknownKeys.reject(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        let d = WebhookDeliverySettings()
        batchWindowMilliseconds =
            try c.decodeIfPresent(Int.self, forKey: .batchWindowMilliseconds) ?? d.batchWindowMilliseconds
        vacateDelayMilliseconds =
            try c.decodeIfPresent(Int.self, forKey: .vacateDelayMilliseconds) ?? d.vacateDelayMilliseconds
        requestTimeoutMilliseconds =
            try c.decodeIfPresent(Int.self, forKey: .requestTimeoutMilliseconds) ?? d.requestTimeoutMilliseconds
        retryBackoffMilliseconds =
            try c.decodeIfPresent(Int.self, forKey: .retryBackoffMilliseconds) ?? d.retryBackoffMilliseconds
        retryBudgetMilliseconds =
            try c.decodeIfPresent(Int.self, forKey: .retryBudgetMilliseconds) ?? d.retryBudgetMilliseconds
        queueCapacity = try c.decodeIfPresent(Int.self, forKey: .queueCapacity) ?? d.queueCapacity
    }

    /// Problems with the settings, each naming `owner` and the field.
    func problems(owner: String) -> [String] {
        var problems: [String] = []
        let fields: [(String, Int, ClosedRange<Int>)] = [
            ("batch_window_ms", batchWindowMilliseconds, 0...60_000),
            ("vacate_delay_ms", vacateDelayMilliseconds, 0...600_000),
            ("request_timeout_ms", requestTimeoutMilliseconds, 1...600_000),
            ("retry_backoff_ms", retryBackoffMilliseconds, 1...600_000),
            ("retry_budget_ms", retryBudgetMilliseconds, 0...86_400_000),
            ("queue_capacity", queueCapacity, 1...10_000_000),
        ]
        for (field, value, range) in fields where !range.contains(value) {
            problems.append(
                "\(owner): webhook_delivery.\(field) must be \(range.lowerBound)...\(range.upperBound), got \(value)"
            )
        }
        return problems
    }
}
