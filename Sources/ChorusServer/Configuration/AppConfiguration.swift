/// One application: its credentials, switches and limits.
///
/// Every field but the credentials has a default, so a config file names only what it changes.
public struct AppConfiguration: Sendable, Hashable, Codable, ConfigurationSection {
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
    /// Channels one connection may be subscribed to at once; more are refused (`LimitReached`).
    public var maxSubscriptionsPerConnection: Int = 1000
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
    /// Per channel pattern: deltas allowed or not, default algorithm, conflation key.
    public var channelDeltaCompression: [String: ChannelDeltaSettings] = [:]
    /// Retained publishes, versioned messages and annotations; off unless configured.
    public var history = HistorySettings()
    /// Origins whose browsers may connect (`https://*.example.com` matches any subdomain); empty
    /// allows every origin. A connection without an `Origin` header is always allowed.
    public var allowedOrigins: [String] = []
    /// Messages the app may send per UTC day (each publish 1 per channel, plus 1 per delivery); 0 is unlimited.
    public var maxMessagesPerDay: Int = 0
    /// Push notification switches (accepted; the push routes are not served yet).
    public var push = PushSettings()

    public init(id: String, key: String, secret: String) {
        self.id = id
        self.key = key
        self.secret = secret
    }

    /// The limits and switches as the configuration file names them, each with its rule; the
    /// defaults are the initial values above.
    package static var settings: [ConfigurationSetting<Self>] {
        [
            .value("enabled", \.enabled),
            .value("client_events_enabled", \.clientEventsEnabled),
            .value("subscription_count_enabled", \.subscriptionCountEnabled),
            .int("max_connections", \.maxConnections, .zeroMeansUnlimited),
            .int("max_presence_members", \.maxPresenceMembers, .atLeast(1)),
            .int("max_presence_user_info_bytes", \.maxPresenceUserInfoBytes, .atLeast(1)),
            .int("max_subscriptions_per_connection", \.maxSubscriptionsPerConnection, .atLeast(1)),
            .int("max_client_events_per_second", \.maxClientEventsPerSecond, .atLeast(1)),
            .int("max_event_payload_in_kb", \.maxEventPayloadInKB, .atLeast(1)),
            .int("max_event_channels_at_once", \.maxEventChannelsAtOnce, .atLeast(1)),
            .int("max_event_batch_size", \.maxEventBatchSize, .atLeast(1)),
            .int("max_event_name_length", \.maxEventNameLength, .atLeast(1)),
            .int("max_api_requests_per_window", \.maxAPIRequestsPerWindow, .zeroMeansUnlimited),
            .int("api_rate_limit_window_seconds", \.apiRateLimitWindowSeconds, .atLeast(1)),
            .int("cache_ttl_seconds", \.cacheTTLSeconds, .within(1...1800)),
            .value("webhooks", \.webhooks),
            .section("webhook_delivery", \.webhookDelivery),
            .value("tag_filtering_enabled", \.tagFilteringEnabled),
            .value("strip_tags", \.stripTags),
            .value("delta_compression_enabled", \.deltaCompressionEnabled),
            .int("delta_full_every", \.deltaFullEvery, .atLeast(1)),
            .int("delta_min_bytes", \.deltaMinimumBytes, .atLeast(0)),
            .value("channel_delta_compression", \.channelDeltaCompression),
            .section("history", \.history),
            .section("push", \.push),
            .value("allowed_origins", \.allowedOrigins),
            .int("max_messages_per_day", \.maxMessagesPerDay, .zeroMeansUnlimited),
        ]
    }

    /// The credentials, read and checked outside the table: they have no default.
    private enum CredentialKeys: String, CodingKey, CaseIterable {
        case id, key, secret
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CredentialKeys.self)
        self.init(
            id: try c.decodeScalarText(forKey: .id),
            key: try c.decode(String.self, forKey: .key),
            secret: try c.decode(String.self, forKey: .secret)
        )
        try decodeSettings(from: decoder, otherKeys: CredentialKeys.allCases.map(\.rawValue))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CredentialKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(key, forKey: .key)
        try c.encode(secret, forKey: .secret)
        try encodeSettings(to: encoder)
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
        problems += settingProblems.map { "\(name): \($0)" }
        problems += webhooks.flatMap { $0.problems(owner: name) }
        problems += originProblems.map { "\(name): \($0)" }
        problems += channelDeltaProblems.map { "\(name): \($0)" }
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
