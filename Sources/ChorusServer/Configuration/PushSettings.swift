/// An app's push notifications: `push: {enabled, log_provider}`. Off, every `…/push/…` route
/// answers 403 `feature_disabled`.
public struct PushSettings: Sendable, Hashable, Codable, ConfigurationSection {
    public var enabled: Bool = false
    /// Deliveries to a platform without credentials are logged and count as `succeeded` with
    /// `"via": "log"` instead of failing with `no_credentials` (for development).
    public var logProvider: Bool = false

    public init() {}

    /// Push on, without the log provider.
    public static var on: PushSettings {
        var settings = PushSettings()
        settings.enabled = true
        return settings
    }

    package static var settings: [ConfigurationSetting<Self>] {
        [
            .value("enabled", \.enabled),
            .value("log_provider", \.logProvider),
        ]
    }

    public init(from decoder: any Decoder) throws {
        try decodeSettings(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeSettings(to: encoder)
    }
}
