public import ChorusProtocol

/// The body of `POST …/messages/{serial}/annotations`, validated: `type`, `name`, `client_id`
/// (or `clientId`), `count`, `data`, `socket_id` (or `socketId`); unknown fields ignored.
public struct AnnotationRequest: Sendable, Hashable {
    public var type: AnnotationType
    public var name: String?
    public var clientID: String?
    /// A positive count (the `multiple` summarizer sums them; 1 when absent).
    public var count: Int?
    /// Compact JSON text of `data`.
    public var data: String?
    /// The connection that gets no live summary.
    public var socketID: String?

    public init(json: JSONValue) throws(HistoryRequestError) {
        guard let object = json.objectValue else {
            throw HistoryRequestError(.invalidBody, "The body must be a JSON object")
        }
        let fields = object.filter { $0.value != .null }
        guard let typeText = fields["type"]?.stringValue, let type = AnnotationType(typeText) else {
            throw HistoryRequestError(
                .invalidAnnotationType,
                "type must be 'namespace:summarizer.v1' (summarizer total, flag, distinct, unique or multiple), "
                    + "at most \(AnnotationType.maximumBytes) bytes"
            )
        }
        self.type = type
        name = try Self.string(["name"], fields)
        clientID = try Self.string(["client_id", "clientId"], fields)
        socketID = try Self.string(["socket_id", "socketId"], fields)
        data = fields["data"]?.jsonText
        if let value = fields["count"] {
            guard let count = value.intValue, count > 0 else {
                throw HistoryRequestError(.invalidBody, "count must be an integer greater than 0")
            }
            self.count = count
        }
        if type.summarizer.needsName, name?.isEmpty ?? true {
            throw HistoryRequestError(.missingField, "A \(type.summarizer.rawValue) annotation needs a 'name'")
        }
        if type.summarizer.needsClientID, clientID?.isEmpty ?? true {
            throw HistoryRequestError(.missingField, "A \(type.summarizer.rawValue) annotation needs a 'client_id'")
        }
    }

    /// The create event of this annotation on message `messageSerial`.
    public func event(serial: String, channel: ChannelRef, messageSerial: String, timestampMs: Int64) -> AnnotationEvent
    {
        AnnotationEvent(
            serial: serial,
            channel: channel,
            messageSerial: messageSerial,
            action: .create,
            annotationSerial: serial,
            type: type.text,
            name: name,
            clientID: clientID,
            count: count,
            data: data,
            timestampMs: timestampMs
        )
    }

    /// The first of `keys` present, which must be a string.
    private static func string(_ keys: [String], _ fields: [String: JSONValue]) throws(HistoryRequestError) -> String? {
        guard let key = keys.first(where: { fields[$0] != nil }), let value = fields[key] else { return nil }
        guard let text = value.stringValue else { throw HistoryRequestError(.invalidBody, "'\(key)' must be a string") }
        return text
    }
}
