/// One application: its credentials, switches and limits.
///
/// Every field but the credentials has a default, so a config file names only what it changes.
public struct AppConfiguration: Sendable, Hashable, Codable {
    /// Numeric id (the official server SDKs reject non-numeric ids).
    public var id: String
    public var key: String
    public var secret: String
    /// A disabled app refuses connections (4003) and API calls (403).
    public var enabled: Bool = true
    /// Whether clients may send `client-` events on private and presence channels.
    public var clientEventsEnabled: Bool = true
    /// Whether subscribers receive `pusher_internal:subscription_count`.
    public var subscriptionCountEnabled: Bool = false
    /// Concurrent connections allowed; 0 is unlimited. Over it, new connections are closed with 4004.
    public var maxConnections: Int = 0
    public var maxPresenceMembers: Int = 100
    public var maxPresenceUserInfoBytes: Int = 1024
    /// Client events one connection may send per second before `pusher:error` 4301.
    public var maxClientEventsPerSecond: Int = 10
    public var maxEventPayloadInKB: Int = 100
    public var maxEventChannelsAtOnce: Int = 100
    public var maxEventBatchSize: Int = 10
    public var maxEventNameLength: Int = 200
    /// Signed API requests allowed per window; 0 is unlimited. Over it, 429.
    public var maxAPIRequestsPerWindow: Int = 0
    public var apiRateLimitWindowSeconds: Int = 60
    /// How long a cache channel keeps its last event, at most 30 minutes.
    public var cacheTTLSeconds: Int = 1800
    /// Where the app's webhooks go; none by default.
    public var webhooks: [WebhookTarget] = []
    /// Batching, delays, retries and queue bounds of the app's webhooks.
    public var webhookDelivery = WebhookDeliverySettings()
    /// Whether subscribers may give a tag `filter` when subscribing.
    public var tagFilteringEnabled: Bool = true
    /// Whether event `tags` are left out of the frames sent to subscribers.
    public var stripTags: Bool = false
    /// Whether subscribers may take deltas (`pusher:enable_delta_compression`, `delta` on subscribe).
    public var deltaCompressionEnabled: Bool = true
    /// Every this-many-th message of a delta chain is sent in full.
    public var deltaFullEvery: Int = 10
    /// Messages shorter than this many bytes are never sent as deltas.
    public var deltaMinimumBytes: Int = 100

    public init(id: String, key: String, secret: String) {
        self.id = id
        self.key = key
        self.secret = secret
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, key, secret, enabled
        case clientEventsEnabled = "client_events_enabled"
        case subscriptionCountEnabled = "subscription_count_enabled"
        case maxConnections = "max_connections"
        case maxPresenceMembers = "max_presence_members"
        case maxPresenceUserInfoBytes = "max_presence_user_info_bytes"
        case maxClientEventsPerSecond = "max_client_events_per_second"
        case maxEventPayloadInKB = "max_event_payload_in_kb"
        case maxEventChannelsAtOnce = "max_event_channels_at_once"
        case maxEventBatchSize = "max_event_batch_size"
        case maxEventNameLength = "max_event_name_length"
        case maxAPIRequestsPerWindow = "max_api_requests_per_window"
        case apiRateLimitWindowSeconds = "api_rate_limit_window_seconds"
        case cacheTTLSeconds = "cache_ttl_seconds"
        case webhooks
        case webhookDelivery = "webhook_delivery"
        case tagFilteringEnabled = "tag_filtering_enabled"
        case stripTags = "strip_tags"
        case deltaCompressionEnabled = "delta_compression_enabled"
        case deltaFullEvery = "delta_full_every"
        case deltaMinimumBytes = "delta_min_bytes"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try UnknownKeys.reject(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        id = try c.decodeScalarText(forKey: .id)
        key = try c.decode(String.self, forKey: .key)
        secret = try c.decode(String.self, forKey: .secret)
        let d = AppConfiguration(id: id, key: key, secret: secret)
        enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? d.enabled
        clientEventsEnabled = try c.decodeIfPresent(Bool.self, forKey: .clientEventsEnabled) ?? d.clientEventsEnabled
        subscriptionCountEnabled =
            try c.decodeIfPresent(Bool.self, forKey: .subscriptionCountEnabled) ?? d.subscriptionCountEnabled
        maxConnections = try c.decodeIfPresent(Int.self, forKey: .maxConnections) ?? d.maxConnections
        maxPresenceMembers = try c.decodeIfPresent(Int.self, forKey: .maxPresenceMembers) ?? d.maxPresenceMembers
        maxPresenceUserInfoBytes =
            try c.decodeIfPresent(Int.self, forKey: .maxPresenceUserInfoBytes) ?? d.maxPresenceUserInfoBytes
        maxClientEventsPerSecond =
            try c.decodeIfPresent(Int.self, forKey: .maxClientEventsPerSecond) ?? d.maxClientEventsPerSecond
        maxEventPayloadInKB = try c.decodeIfPresent(Int.self, forKey: .maxEventPayloadInKB) ?? d.maxEventPayloadInKB
        maxEventChannelsAtOnce =
            try c.decodeIfPresent(Int.self, forKey: .maxEventChannelsAtOnce) ?? d.maxEventChannelsAtOnce
        maxEventBatchSize = try c.decodeIfPresent(Int.self, forKey: .maxEventBatchSize) ?? d.maxEventBatchSize
        maxEventNameLength = try c.decodeIfPresent(Int.self, forKey: .maxEventNameLength) ?? d.maxEventNameLength
        maxAPIRequestsPerWindow =
            try c.decodeIfPresent(Int.self, forKey: .maxAPIRequestsPerWindow) ?? d.maxAPIRequestsPerWindow
        apiRateLimitWindowSeconds =
            try c.decodeIfPresent(Int.self, forKey: .apiRateLimitWindowSeconds) ?? d.apiRateLimitWindowSeconds
        cacheTTLSeconds = try c.decodeIfPresent(Int.self, forKey: .cacheTTLSeconds) ?? d.cacheTTLSeconds
        webhooks = try c.decodeIfPresent([WebhookTarget].self, forKey: .webhooks) ?? d.webhooks
        webhookDelivery =
            try c.decodeIfPresent(WebhookDeliverySettings.self, forKey: .webhookDelivery) ?? d.webhookDelivery
        tagFilteringEnabled = try c.decodeIfPresent(Bool.self, forKey: .tagFilteringEnabled) ?? d.tagFilteringEnabled
        stripTags = try c.decodeIfPresent(Bool.self, forKey: .stripTags) ?? d.stripTags
        deltaCompressionEnabled =
            try c.decodeIfPresent(Bool.self, forKey: .deltaCompressionEnabled) ?? d.deltaCompressionEnabled
        deltaFullEvery = try c.decodeIfPresent(Int.self, forKey: .deltaFullEvery) ?? d.deltaFullEvery
        deltaMinimumBytes = try c.decodeIfPresent(Int.self, forKey: .deltaMinimumBytes) ?? d.deltaMinimumBytes
    }

    /// Problems that make the app unusable, each naming its field.
    func problems() -> [String] {
        var problems: [String] = []
        let name = "app '\(id)'"
        if id.isEmpty || !id.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            problems.append("\(name): id must be numeric (the official server SDKs reject other ids)")
        }
        if key.isEmpty { problems.append("\(name): key must not be empty") }
        if secret.isEmpty { problems.append("\(name): secret must not be empty") }
        let positive: [(String, Int)] = [
            ("max_presence_members", maxPresenceMembers), ("max_presence_user_info_bytes", maxPresenceUserInfoBytes),
            ("max_client_events_per_second", maxClientEventsPerSecond),
            ("max_event_payload_in_kb", maxEventPayloadInKB),
            ("max_event_channels_at_once", maxEventChannelsAtOnce), ("max_event_batch_size", maxEventBatchSize),
            ("max_event_name_length", maxEventNameLength), ("api_rate_limit_window_seconds", apiRateLimitWindowSeconds),
        ]
        for (field, value) in positive where value <= 0 {
            problems.append("\(name): \(field) must be positive, got \(value)")
        }
        if maxConnections < 0 { problems.append("\(name): max_connections must be 0 (unlimited) or positive") }
        if maxAPIRequestsPerWindow < 0 {
            problems.append("\(name): max_api_requests_per_window must be 0 (unlimited) or positive")
        }
        if !(1...1800).contains(cacheTTLSeconds) {
            problems.append("\(name): cache_ttl_seconds must be between 1 and 1800, got \(cacheTTLSeconds)")
        }
        if deltaFullEvery < 1 { problems.append("\(name): delta_full_every must be at least 1, got \(deltaFullEvery)") }
        if deltaMinimumBytes < 0 { problems.append("\(name): delta_min_bytes must not be negative") }
        problems += webhooks.flatMap { $0.problems(owner: name) }
        problems += webhookDelivery.problems(owner: name)
        return problems
    }
}

extension KeyedDecodingContainer {
    /// A string, or a number given where a string is meant (`id: 1` in YAML).
    func decodeScalarText(forKey key: Key) throws -> String {
        if let text = try? decode(String.self, forKey: key) { return text }
        return String(try decode(Int.self, forKey: key))
    }
}
