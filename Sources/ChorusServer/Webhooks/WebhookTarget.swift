/// One receiver of an app's webhooks: where they go, which event types it wants, and extra
/// headers (say a bearer token) sent with every request.
public struct WebhookTarget: Sendable, Hashable, Codable, ConfigurationSection {
    /// An `http://` or `https://` URL that receives `POST` requests.
    public var url: String
    /// The event types this target receives (`channel_occupied`, …); `nil` means all of them.
    public var eventTypes: [String]?
    /// Headers added to every request to this target.
    public var headers: [String: String] = [:]

    public init(url: String, eventTypes: [String]? = nil, headers: [String: String] = [:]) {
        self.url = url
        self.eventTypes = eventTypes
        self.headers = headers
    }

    /// The optional settings; `url` is read outside the table, it has no default.
    package static var settings: [ConfigurationSetting<Self>] {
        [.value("event_types", \.eventTypes), .value("headers", \.headers)]
    }

    private enum URLKey: String, CodingKey {
        case url
    }

    public init(from decoder: any Decoder) throws {
        self.init(url: try decoder.container(keyedBy: URLKey.self).decode(String.self, forKey: .url))
        try decodeSettings(from: decoder, otherKeys: [URLKey.url.rawValue])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: URLKey.self)
        try c.encode(url, forKey: .url)
        try encodeSettings(to: encoder)
    }

    /// Whether this target wants events of `kind`.
    func accepts(_ kind: WebhookEvent.Kind) -> Bool {
        eventTypes?.contains(kind.rawValue) ?? true
    }

    /// Problems that make the target unusable, each naming `owner` and the field.
    func problems(owner: String) -> [String] {
        var problems: [String] = []
        let lowercased = url.lowercased()
        if !(lowercased.hasPrefix("http://") || lowercased.hasPrefix("https://")) {
            problems.append("\(owner): webhook url must start with http:// or https://, got '\(url)'")
        }
        let known = WebhookEvent.Kind.allCases.map(\.rawValue)
        for type in eventTypes ?? [] where !known.contains(type) {
            problems.append("\(owner): unknown webhook event type '\(type)'; known: \(known.joined(separator: ", "))")
        }
        return problems
    }
}
