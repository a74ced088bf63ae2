public import ChorusProtocol
import Crypto

/// The body of `POST …/messages/{serial}/update`, `/delete` or `/append`, validated.
///
/// Unknown fields are ignored. `data` that is not a string is kept as its compact JSON text, as is
/// `metadata`. `op_id` and `idempotency_key` are the same thing (the latter wins when both are sent).
public struct MutationRequest: Sendable, Hashable {
    /// A field `clear_fields` may name.
    public enum ClearableField: String, Sendable, Hashable, CaseIterable {
        case name, data
    }

    public static let maximumIdempotencyKeyBytes = 128

    public var action: MessageAction
    public var name: String?
    /// The new data (update, delete) or the fragment to append.
    public var data: String?
    public var clearFields: Set<ClearableField>
    public var description: String?
    public var metadata: String?
    public var clientID: String?
    /// The connection that gets no live event.
    public var socketID: String?
    public var idempotencyKey: String?

    /// Validates `json` as the body of `action` (update, delete or append).
    public init(action: MessageAction, json: JSONValue) throws(HistoryRequestError) {
        precondition(action != .create, "a create is a publish, not a mutation")
        guard let fields = json.objectValue else {
            throw HistoryRequestError(.invalidBody, "The body must be a JSON object")
        }
        let present = fields.filter { $0.value != .null }
        self.action = action
        name = action == .update ? try Self.string("name", present) : nil
        clearFields = action == .append ? [] : try Self.clearFields(present)
        description = try Self.string("description", present)
        clientID = try Self.string("client_id", present)
        socketID = try Self.string("socket_id", present)
        metadata = present["metadata"]?.jsonText
        let opID = try Self.string("op_id", present)
        let key = try Self.string("idempotency_key", present) ?? opID
        if let key, key.isEmpty || key.utf8.count > Self.maximumIdempotencyKeyBytes {
            throw HistoryRequestError(
                .invalidIdempotencyKey,
                "idempotency_key (op_id) must be 1 to \(Self.maximumIdempotencyKeyBytes) bytes"
            )
        }
        idempotencyKey = key
        switch (action, present["data"]) {
        case (.append, .string(let fragment)?) where !fragment.isEmpty:
            data = fragment
        case (.append, _):
            throw HistoryRequestError(.missingField, "append needs 'data', a non-empty string")
        case (_, .string(let text)?):
            data = text
        case (_, let value?):
            data = value.jsonText
        case (_, nil):
            data = nil
        }
        if data != nil, clearFields.contains(.data) {
            throw HistoryRequestError(.invalidBody, "'data' is both given and named in clear_fields")
        }
        if name != nil, clearFields.contains(.name) {
            throw HistoryRequestError(.invalidBody, "'name' is both given and named in clear_fields")
        }
        if action == .update, name == nil, data == nil, clearFields.isEmpty, description == nil, metadata == nil,
            clientID == nil
        {
            throw HistoryRequestError(
                .missingField,
                "An update needs at least one of name, data, clear_fields, description, metadata, client_id"
            )
        }
    }

    /// SHA-256 (hex) of the normalized body: what a replay with the same key must match.
    public var fingerprint: String {
        Hex.encode(SHA256.hash(data: Array(normalized.jsonText.utf8)))
    }

    /// The body as it identifies the operation: everything but the connection and the key.
    private var normalized: JSONValue {
        var fields: [String: JSONValue] = ["action": .string(action.rawValue)]
        if let name { fields["name"] = .string(name) }
        if let data { fields["data"] = .string(data) }
        if !clearFields.isEmpty {
            fields["clear_fields"] = .array(clearFields.map(\.rawValue).sorted().map { .string($0) })
        }
        if let description { fields["description"] = .string(description) }
        if let metadata { fields["metadata"] = .string(metadata) }
        if let clientID { fields["client_id"] = .string(clientID) }
        return .object(fields)
    }

    /// The store's mutation of message `messageSerial`: its next version gets `versionSerial`.
    public func mutation(
        channel: ChannelRef,
        messageSerial: String,
        versionSerial: String,
        timestampMs: Int64
    ) -> MessageMutation {
        let request = self
        return MessageMutation(
            channel: channel,
            messageSerial: messageSerial,
            action: action,
            idempotencyKey: idempotencyKey,
            fingerprint: fingerprint
        ) { current in
            request.effect(on: current, versionSerial: versionSerial, timestampMs: timestampMs)
        }
    }

    /// The new latest state and version entry when the request applies to `current`.
    public func effect(on current: StoredMessage, versionSerial: String, timestampMs: Int64) -> MutationEffect {
        var latest = current
        latest.action = action
        latest.versionNumber = current.versionNumber + 1
        latest.version = MessageVersionInfo(
            serial: versionSerial,
            timestampMs: timestampMs,
            clientID: clientID,
            description: description,
            metadata: metadata
        )
        if clearFields.contains(.name) { latest.name = nil }
        if clearFields.contains(.data) { latest.data = nil }
        if let name { latest.name = name }
        var version = latest
        if action == .append, let data {
            latest.data = (current.data ?? "") + data
            version.data = data
        } else if let data {
            latest.data = data
            version.data = data
        }
        return MutationEffect(latest: latest, version: version)
    }

    private static func string(_ key: String, _ fields: [String: JSONValue]) throws(HistoryRequestError) -> String? {
        guard let value = fields[key] else { return nil }
        guard let text = value.stringValue else {
            throw HistoryRequestError(.invalidBody, "'\(key)' must be a string")
        }
        return text
    }

    private static func clearFields(_ fields: [String: JSONValue]) throws(HistoryRequestError) -> Set<ClearableField> {
        guard let value = fields["clear_fields"] else { return [] }
        let invalid = HistoryRequestError(.invalidBody, "clear_fields must be an array of \"name\" and \"data\"")
        guard let items = value.arrayValue else { throw invalid }
        var result: Set<ClearableField> = []
        for item in items {
            guard let field = item.stringValue.flatMap(ClearableField.init(rawValue:)) else { throw invalid }
            result.insert(field)
        }
        return result
    }
}
