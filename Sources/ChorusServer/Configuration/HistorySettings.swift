/// An app's history: whether it keeps one, for which channels, how much and for how long, and
/// the largest page a query may ask for. Versioned messages and annotations are on for every
/// channel that keeps history.
public struct HistorySettings: Sendable, Hashable, Codable, ConfigurationSection {
    public var enabled: Bool = false
    /// Channel name patterns whose publishes are retained; `*` matches any run of characters.
    public var channels: [String] = ["*"]
    /// Messages kept per channel; older ones go with the retention sweep.
    public var maxMessages: Int = 10_000
    /// Seconds a message is kept; older ones go with the retention sweep.
    public var maxAgeSeconds: Int = 86_400
    /// The largest (and default) `limit` of a history, versions or annotations page.
    public var maxPageSize: Int = 100

    public static let largestPageSize = 1000

    public init() {}

    /// Settings that keep history for every channel.
    public static var everyChannel: HistorySettings {
        var settings = HistorySettings()
        settings.enabled = true
        return settings
    }

    /// The settings as the configuration file names them (under `history`), each with its rule.
    package static var settings: [ConfigurationSetting<Self>] {
        [
            .value("enabled", \.enabled),
            .value("channels", \.channels) { patterns in
                patterns.contains(where: \.isEmpty) ? ["must not hold an empty pattern"] : []
            },
            .int("max_messages", \.maxMessages, .atLeast(1)),
            .int("max_age_seconds", \.maxAgeSeconds, .atLeast(1)),
            .int("max_page_size", \.maxPageSize, .within(1...Self.largestPageSize)),
        ]
    }

    public init(from decoder: any Decoder) throws {
        try decodeSettings(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeSettings(to: encoder)
    }

    /// Whether publishes to `channel` are retained (and its history, messages and annotations served).
    public func retains(_ channel: String) -> Bool {
        enabled && channels.contains { Self.matches($0, channel) }
    }

    /// Whether `channel` matches `pattern`; the common shapes (`*`, no `*`, `prefix*`) without copying.
    private static func matches(_ pattern: String, _ channel: String) -> Bool {
        guard let star = pattern.firstIndex(of: "*") else { return pattern == channel }
        if pattern.index(after: star) == pattern.endIndex { return channel.hasPrefix(pattern[..<star]) }
        return matches(Array(pattern.utf8)[...], Array(channel.utf8)[...])
    }

    /// `*` matches any run of bytes; every other byte matches itself.
    private static func matches(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        guard let star = pattern.firstIndex(of: UInt8(ascii: "*")) else { return pattern.elementsEqual(text) }
        let prefix = pattern[..<star]
        guard text.starts(with: prefix) else { return false }
        let rest = pattern[(star + 1)...]
        var start = text.startIndex + prefix.count
        while true {
            if matches(rest, text[start...]) { return true }
            guard start < text.endIndex else { return false }
            start += 1
        }
    }
}
