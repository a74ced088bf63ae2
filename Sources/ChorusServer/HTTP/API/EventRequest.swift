import ChorusProtocol

/// One event as a publisher sent it to `/events` or inside `/batch_events`, validated against the
/// app's limits.
struct EventRequest: Sendable {
    var name: String
    /// Distinct channels in the order given (`channel` first when both fields are present).
    var channels: [String]
    /// The data as text: a string as sent, anything else serialised.
    var data: String
    var socketID: String?
    var info: ChannelAttributes
    var tags: [String: String]?
    var delta: Bool?
    var idempotencyKey: String?

    static let maximumIdempotencyKeyLength = 256

    /// Validates `json`; every failure is a 400 except data over `max_event_payload_in_kb` (413).
    init(json: JSONValue, app: AppConfiguration) throws(APIError) {
        guard let fields = json.objectValue else { throw .badRequest("An event must be a JSON object") }
        guard let name = fields["name"]?.stringValue, !name.isEmpty else {
            throw .badRequest("Invalid request: 'name' must be a non-empty string", code: "missing_name")
        }
        let rules = EventRules(app: app)
        do {
            try rules.check(name: name)
        } catch {
            throw .badRequest(error.message, code: "event_name_too_long")
        }
        guard !PusherEventName.isReserved(name) else {
            throw .badRequest(
                "Event names starting pusher:, pusher_internal:, sockudo: or sockudo_internal: are reserved",
                code: "reserved_event_name"
            )
        }
        self.name = name

        switch fields["data"] {
        case nil, .null?:
            throw .badRequest("Invalid request: 'data' is required", code: "missing_data")
        case let value?:
            data = EventRules.text(of: value)
        }
        do {
            try rules.check(dataText: data)
        } catch {
            throw .payloadTooLarge(error.message)
        }

        channels = try Self.channels(fields, app: app)

        switch fields["socket_id"] {
        case nil, .null?:
            socketID = nil
        case .string(let id)? where Self.isSocketID(id):
            socketID = id
        default:
            throw .badRequest("socket_id must look like 123.456", code: "invalid_socket_id")
        }

        switch fields["info"] {
        case nil, .null?:
            info = []
        case .string(let text)?:
            info = try ChannelAttributes(parsing: text, allowed: [.subscriptionCount, .userCount, .messageSerial])
        default:
            throw .badRequest("info must be a comma-separated string", code: "invalid_info")
        }

        switch fields["tags"] {
        case nil, .null?:
            tags = nil
        case .object(let members)?:
            var tags: [String: String] = [:]
            for (key, value) in members {
                guard let text = value.stringValue else {
                    throw .badRequest("tags must map strings to strings; '\(key)' does not", code: "invalid_tags")
                }
                tags[key] = text
            }
            self.tags = tags
        default:
            throw .badRequest("tags must be an object of strings", code: "invalid_tags")
        }

        switch fields["delta"] {
        case nil, .null?: delta = nil
        case .bool(let flag)?: delta = flag
        default: throw .badRequest("delta must be true or false", code: "invalid_delta")
        }

        switch fields["idempotency_key"] {
        case nil, .null?:
            idempotencyKey = nil
        case .string(let key)? where !key.isEmpty && key.utf8.count <= Self.maximumIdempotencyKeyLength:
            idempotencyKey = key
        default:
            throw .badRequest(
                "idempotency_key must be a string of 1 to \(Self.maximumIdempotencyKeyLength) bytes",
                code: "invalid_idempotency_key"
            )
        }
    }

    private static func channels(_ fields: [String: JSONValue], app: AppConfiguration) throws(APIError) -> [String] {
        var names: [String] = []
        if let channel = fields["channel"], channel != .null {
            guard let name = channel.stringValue else {
                throw .badRequest("channel must be a string", code: "invalid_channel_name")
            }
            names.append(name)
        }
        if let channels = fields["channels"], channels != .null {
            guard let list = channels.arrayValue else {
                throw .badRequest("channels must be an array of strings", code: "invalid_channel_name")
            }
            for item in list {
                guard let name = item.stringValue else {
                    throw .badRequest("channels must be an array of strings", code: "invalid_channel_name")
                }
                names.append(name)
            }
        }
        guard !names.isEmpty else {
            throw .badRequest("Invalid request: give 'channel' or a non-empty 'channels'", code: "missing_channels")
        }
        var seen = Set<String>()
        let distinct = names.filter { seen.insert($0).inserted }
        guard distinct.count <= app.maxEventChannelsAtOnce else {
            throw .badRequest(
                "An event may go to at most \(app.maxEventChannelsAtOnce) channels; got \(distinct.count)",
                code: "too_many_channels"
            )
        }
        for name in distinct where !isPublishable(name) {
            throw .badRequest(
                "Invalid channel name '\(name)': use at most \(ChannelName.maximumLength) of A-Z a-z 0-9 _ - = @ , . ;",
                code: "invalid_channel_name"
            )
        }
        return distinct
    }

    /// A valid channel name, or `#server-to-user-` followed by a valid user id.
    static func isPublishable(_ name: String) -> Bool {
        if name.hasPrefix(ChannelName.serverToUserPrefix) {
            let user = String(name.dropFirst(ChannelName.serverToUserPrefix.count))
            return ChannelName.isValid(user) && name.utf8.count <= ChannelName.maximumLength
        }
        return ChannelName.isValid(name)
    }

    /// Whether `id` matches `^\d+\.\d+$`.
    static func isSocketID(_ id: String) -> Bool {
        let parts = id.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.count == 2
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }
    }
}
