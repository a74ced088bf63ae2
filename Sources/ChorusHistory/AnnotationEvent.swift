/// One entry of a message's annotation log: an annotation created, or one deleted.
///
/// Summaries are the log replayed through the type's summarizer; the log itself is what
/// `GET …/annotations` pages through.
public struct AnnotationEvent: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        case create = "annotation.create"
        case delete = "annotation.delete"
    }

    /// This event's own serial (opaque, sorting in commit order within the message).
    public var serial: String
    public var channel: ChannelRef
    public var messageSerial: String
    public var action: Action
    /// For a create, its own serial; for a delete, the serial of the annotation it deletes.
    public var annotationSerial: String
    /// `namespace:summarizer.v1`.
    public var type: String
    public var name: String?
    public var clientID: String?
    public var count: Int?
    /// Compact JSON text, if the annotation carried data.
    public var data: String?
    public var timestampMs: Int64

    public init(
        serial: String,
        channel: ChannelRef,
        messageSerial: String,
        action: Action,
        annotationSerial: String,
        type: String,
        name: String? = nil,
        clientID: String? = nil,
        count: Int? = nil,
        data: String? = nil,
        timestampMs: Int64
    ) {
        self.serial = serial
        self.channel = channel
        self.messageSerial = messageSerial
        self.action = action
        self.annotationSerial = annotationSerial
        self.type = type
        self.name = name
        self.clientID = clientID
        self.count = count
        self.data = data
        self.timestampMs = timestampMs
    }
}
