import ChorusProtocol

/// The limits every published event obeys, whoever sends it: the HTTP API (`events`,
/// `batch_events`) and clients (`client-` events) are held to the same counts.
///
/// - The name is counted in characters (`String.count`), as Pusher documents its 200-character limit.
/// - The data is counted in UTF-8 bytes of its text: a string as sent, anything else serialised.
struct EventRules: Sendable {
    var maxNameLength: Int
    var maxDataBytes: Int

    init(app: AppConfiguration) {
        self.maxNameLength = app.maxEventNameLength
        self.maxDataBytes = app.maxEventPayloadInKB * 1024
    }

    /// Throws when `name` is longer than the app allows.
    func check(name: String) throws(EventRuleViolation) {
        let length = name.count
        guard length <= maxNameLength else { throw .nameTooLong(length: length, limit: maxNameLength) }
    }

    /// Throws when `dataText` (see ``text(of:)``) is larger than the app allows.
    func check(dataText: String) throws(EventRuleViolation) {
        let bytes = dataText.utf8.count
        guard bytes <= maxDataBytes else { throw .dataTooLarge(bytes: bytes, limit: maxDataBytes) }
    }

    /// An event's data as text: a string as it is, anything else serialised.
    static func text(of data: JSONValue) -> String {
        data.stringValue ?? data.jsonText
    }
}

/// An event over one of the ``EventRules``.
enum EventRuleViolation: Error, Sendable, Equatable {
    case nameTooLong(length: Int, limit: Int)
    case dataTooLarge(bytes: Int, limit: Int)

    /// A sentence naming the limit, for `pusher:error` and API error bodies.
    var message: String {
        switch self {
        case .nameTooLong(let length, let limit):
            "Event name is \(length) characters; the limit is \(limit)"
        case .dataTooLarge(let bytes, let limit):
            "Event data is \(bytes) bytes; the limit is \(limit / 1024) KB"
        }
    }
}
