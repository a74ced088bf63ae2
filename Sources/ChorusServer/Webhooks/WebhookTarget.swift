/// One receiver of an app's webhooks: where they go, which event types it wants, and extra
/// headers (say a bearer token) sent with every request.
public struct WebhookTarget: Sendable, Hashable, Codable {
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

    enum CodingKeys: String, CodingKey, CaseIterable {
        case url, headers
        case eventTypes = "event_types"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try UnknownKeys.reject(in: decoder, known: CodingKeys.allCases.map(\.rawValue))
        url = try c.decode(String.self, forKey: .url)
        eventTypes = try c.decodeIfPresent([String].self, forKey: .eventTypes)
        headers = try c.decodeIfPresent([String: String].self, forKey: .headers) ?? [:]
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
