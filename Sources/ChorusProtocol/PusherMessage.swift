/// One Pusher WebSocket message: the JSON envelope `{"event","channel"?,"data"?,"user_id"?}`.
///
/// Used both ways: servers parse what clients send, clients (the load generator, the conformance
/// runner) parse what servers send. `data` keeps the shape it arrived in: server→client data is a
/// JSON string (double encoded) except on `pusher:error` and `pusher:pong`; client→server
/// `pusher:*` data may be an object or a string.
public struct PusherMessage: Sendable, Hashable, JSONWritable {
    public var event: String
    public var channel: String?
    public var data: JSONValue?
    public var userID: String?

    public init(event: String, channel: String? = nil, data: JSONValue? = nil, userID: String? = nil) {
        self.event = event
        self.channel = channel
        self.data = data
        self.userID = userID
    }

    /// Parses one text frame; throws ``PusherMessageError`` when it is not a Pusher envelope.
    public init(parsing bytes: some Collection<UInt8>) throws {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw PusherMessageError.invalidJSON
        }
        guard case .object(let members) = value else { throw PusherMessageError.notAnObject }
        guard case .string(let event)? = members["event"] else { throw PusherMessageError.missingEvent }
        self.event = event
        switch members["channel"] {
        case .string(let channel)?: self.channel = channel
        case nil, .null?: self.channel = nil
        default: throw PusherMessageError.invalidChannel
        }
        self.data = members["data"]
        self.userID = members["user_id"]?.scalarText
    }

    /// `data` as text: a string as it is, anything else serialised (what a relay forwards).
    public var dataText: String? {
        switch data {
        case nil: nil
        case .string(let text)?: text
        case let other?: other.jsonText
        }
    }

    /// `data` as an object: an object as it is, or a string holding a JSON object parsed.
    public var dataObject: JSONValue? {
        switch data {
        case .object?: data
        case .string(let text)?: (try? JSONValue(parsing: text)).flatMap { $0.objectValue == nil ? nil : $0 }
        default: nil
        }
    }

    /// Appends the serialised envelope, with the fields in the order Pusher servers send them.
    public func write(into bytes: inout [UInt8]) {
        bytes.append(contentsOf: #"{"event":"#.utf8)
        JSONText.appendQuoted(event, to: &bytes)
        if let channel {
            bytes.append(contentsOf: #","channel":"#.utf8)
            JSONText.appendQuoted(channel, to: &bytes)
        }
        if let data {
            bytes.append(contentsOf: #","data":"#.utf8)
            data.write(into: &bytes)
        }
        if let userID {
            bytes.append(contentsOf: #","user_id":"#.utf8)
            JSONText.appendQuoted(userID, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }
}

/// Why a text frame is not a Pusher message.
public enum PusherMessageError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidJSON
    case notAnObject
    case missingEvent
    case invalidChannel

    public var description: String {
        switch self {
        case .invalidJSON: "Message is not valid JSON"
        case .notAnObject: "Message is not a JSON object"
        case .missingEvent: "Message has no string 'event' field"
        case .invalidChannel: "Message 'channel' field is not a string"
        }
    }
}
