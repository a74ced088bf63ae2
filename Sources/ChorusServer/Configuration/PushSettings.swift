/// An app's push notification switches, accepted so that configurations written for the push
/// routes load; the push routes themselves answer 404 in this build.
public struct PushSettings: Sendable, Hashable, Codable, ConfigurationSection {
    public var enabled: Bool = false
    /// Whether deliveries without provider credentials are logged as succeeded instead of failing.
    public var logProvider: Bool = false

    public init() {}

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
