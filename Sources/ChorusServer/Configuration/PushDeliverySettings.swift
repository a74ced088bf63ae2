import ChorusPushProviders

/// How the server reaches the notification services: `push_delivery: {…}` in the configuration
/// file. The defaults are the real services; tests point the URLs at loopback fakes.
public struct PushDeliverySettings: Sendable, Hashable, Codable, ConfigurationSection {
    public var apnsURL = ProviderConfiguration().apnsProductionURL
    public var apnsSandboxURL = ProviderConfiguration().apnsSandboxURL
    public var fcmURL = ProviderConfiguration().fcmURL
    /// Replaces every FCM service account's `token_uri` when not empty.
    public var fcmTokenURL = ""
    /// A PEM file of certificates trusted instead of the system's roots (a test CA).
    public var trustRootsFile = ""
    /// Seconds one attempt may take, connecting included.
    public var requestTimeoutSeconds = 10
    /// Attempts in flight per provider.
    public var maxConcurrentRequests = 256
    /// Attempts per recipient before it is dead-lettered (`failed`, `retries_exhausted`).
    public var maxAttempts = 5
    /// Milliseconds before the first retry of a recipient, doubling for each next one (30 s at most);
    /// a provider's `Retry-After` overrides it when longer.
    public var retryBaseDelayMs = 500
    /// Seconds a recipient may spend waiting between retries, in all, before it is dead-lettered.
    public var retryBudgetSeconds = 60
    /// Hours a finished publish stays inspectable (and its idempotency key remembered, 24 at least).
    public var publishRetentionHours = 168

    public init() {}

    package static var settings: [ConfigurationSetting<Self>] {
        [
            .value("apns_url", \.apnsURL),
            .value("apns_sandbox_url", \.apnsSandboxURL),
            .value("fcm_url", \.fcmURL),
            .value("fcm_token_url", \.fcmTokenURL),
            .value("trust_roots_file", \.trustRootsFile),
            .int("request_timeout_seconds", \.requestTimeoutSeconds, .within(1...300)),
            .int("max_concurrent_requests", \.maxConcurrentRequests, .within(1...10_000)),
            .int("max_attempts", \.maxAttempts, .within(1...100)),
            .int("retry_base_delay_ms", \.retryBaseDelayMs, .within(1...60_000)),
            .int("retry_budget_seconds", \.retryBudgetSeconds, .within(0...86_400)),
            .int("publish_retention_hours", \.publishRetentionHours, .within(24...8_760)),
        ]
    }

    public init(from decoder: any Decoder) throws {
        try decodeSettings(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeSettings(to: encoder)
    }

    /// Problems that keep delivery from starting, each naming its field.
    var problems: [String] {
        [
            ("apns_url", apnsURL), ("apns_sandbox_url", apnsSandboxURL), ("fcm_url", fcmURL),
            ("fcm_token_url", fcmTokenURL),
        ]
        .filter { !$0.1.isEmpty && !($0.1.hasPrefix("https://") || $0.1.hasPrefix("http://")) }
        .map { "push_delivery.\($0.0) must be an http(s) URL, got \($0.1)" }
    }

    /// What the provider clients are built with; `trustRootsPEM` is the file's text.
    func providerConfiguration(trustRootsPEM: String?) -> ProviderConfiguration {
        var configuration = ProviderConfiguration()
        configuration.apnsProductionURL = apnsURL
        configuration.apnsSandboxURL = apnsSandboxURL
        configuration.fcmURL = fcmURL
        configuration.fcmTokenURL = fcmTokenURL.isEmpty ? nil : fcmTokenURL
        configuration.trustRootsPEM = trustRootsPEM
        configuration.requestTimeoutSeconds = Double(requestTimeoutSeconds)
        configuration.maxConcurrentRequests = maxConcurrentRequests
        return configuration
    }
}
