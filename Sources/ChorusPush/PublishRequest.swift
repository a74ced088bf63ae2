public import ChorusProtocol
import Crypto

/// A `POST …/push/publish` body, checked:
/// `{"recipients":[…],"payload":{"title"?,"body"?,"data"?},"sync"?,"idempotency_key"?,"ttl_seconds"?}`.
public struct PublishRequest: Sendable, Hashable {
    public var recipients: [PushRecipient]
    public var payload: PushPayload
    /// Wait for the outcome (up to the server's limit) instead of answering 202 at once.
    public var sync: Bool
    public var idempotencyKey: String?
    /// Recipients not delivered within this many seconds of admission end `expired`.
    public var ttlSeconds: Int

    public static let maxRecipients = 1000
    public static let maxTitleBytes = 256
    public static let maxBodyBytes = 4096
    public static let maxDataBytes = 4096
    public static let maxIdempotencyKeyBytes = 256
    public static let defaultTTLSeconds = 86_400
    /// Four weeks: what APNs and FCM keep a notification for at most.
    public static let maxTTLSeconds = 2_419_200

    public init(body: JSONValue) throws(PushRequestError) {
        let fields = try PushFields(body: body)
        if fields.value("not_before_ms") != nil {
            throw PushRequestError(.schedulingUnsupported, "Scheduled push (notBeforeMs) is not supported yet")
        }
        recipients = try Self.recipients(fields.value("recipients"))
        payload = try Self.payload(fields.value("payload"))
        switch fields.value("sync") {
        case nil: sync = false
        case .bool(let value)?: sync = value
        default: throw PushRequestError(.invalidField, "sync must be true or false")
        }
        if let key = fields.value("idempotency_key") {
            guard let text = key.stringValue, !text.isEmpty, text.utf8.count <= Self.maxIdempotencyKeyBytes else {
                throw PushRequestError(
                    .invalidIdempotencyKey,
                    "idempotency_key must be a non-empty string of at most \(Self.maxIdempotencyKeyBytes) bytes"
                )
            }
            idempotencyKey = text
        }
        switch fields.value("ttl_seconds") {
        case nil: ttlSeconds = Self.defaultTTLSeconds
        case let value?:
            guard let seconds = value.intValue, (1...Self.maxTTLSeconds).contains(seconds) else {
                throw PushRequestError(.invalidField, "ttl_seconds must be an integer from 1 to \(Self.maxTTLSeconds)")
            }
            ttlSeconds = seconds
        }
    }

    /// A digest of what the publish means (recipients, payload, TTL), whatever the key order or
    /// spelling of the body: the same idempotency key with another fingerprint is a conflict.
    public var fingerprint: String {
        let canonical: JSONValue = [
            "recipients": .array(recipients.map(\.json)),
            "payload": payload.json,
            "ttl_seconds": .integer(Int64(ttlSeconds)),
        ]
        return Hex.encode(SHA256.hash(data: Array(canonical.jsonText.utf8)))
    }

    /// The publish to admit under `publishID`, created at `nowMs`.
    public func publish(appID: String, publishID: String, nowMs: Int64) -> PushPublish {
        PushPublish(
            appID: appID,
            publishID: publishID,
            recipients: recipients,
            payload: payload,
            idempotencyKey: idempotencyKey,
            fingerprint: fingerprint,
            createdAtMs: nowMs,
            expiresAtMs: nowMs + Int64(ttlSeconds) * 1000
        )
    }

    private static func recipients(_ value: JSONValue?) throws(PushRequestError) -> [PushRecipient] {
        guard let items = value?.arrayValue else {
            throw PushRequestError(.invalidRecipients, "recipients must be an array")
        }
        guard (1...maxRecipients).contains(items.count) else {
            throw PushRequestError(
                .invalidRecipients,
                "recipients must name from 1 to \(maxRecipients) targets, not \(items.count)"
            )
        }
        var recipients: [PushRecipient] = []
        for (index, item) in items.enumerated() {
            let fields: PushFields
            do { fields = try PushFields(body: item) } catch {
                throw PushRequestError(.invalidRecipients, "recipients[\(index)] must be an object")
            }
            do throws(PushRequestError) {
                switch try fields.requiredString("type") {
                case "channel": recipients.append(.channel(try fields.requiredString("channel")))
                case "device": recipients.append(.device(try fields.requiredString("device_id")))
                case "client": recipients.append(.client(try fields.requiredString("client_id")))
                case let other:
                    throw PushRequestError(.invalidRecipients, "type must be channel, device or client, not \(other)")
                }
            } catch {
                throw PushRequestError(.invalidRecipients, "recipients[\(index)]: \(error.message)")
            }
        }
        return recipients
    }

    private static func payload(_ value: JSONValue?) throws(PushRequestError) -> PushPayload {
        guard let value else { throw PushRequestError(.missingField, "payload is required") }
        let fields: PushFields
        do { fields = try PushFields(body: value) } catch {
            throw PushRequestError(.invalidPayload, "payload must be an object")
        }
        let title = try text(fields, "title", limit: maxTitleBytes)
        let body = try text(fields, "body", limit: maxBodyBytes)
        let data = fields.value("data")
        if let data {
            guard data.objectValue != nil else {
                throw PushRequestError(.invalidPayload, "payload.data must be an object")
            }
            guard data.jsonText.utf8.count <= maxDataBytes else {
                throw PushRequestError(.payloadTooLarge, "payload.data must be at most \(maxDataBytes) bytes of JSON")
            }
        }
        guard title != nil || body != nil || data != nil else {
            throw PushRequestError(.invalidPayload, "payload needs a title, a body or data")
        }
        return PushPayload(title: title, body: body, data: data)
    }

    private static func text(_ fields: PushFields, _ name: String, limit: Int) throws(PushRequestError) -> String? {
        guard let value = fields.value(name) else { return nil }
        guard let text = value.stringValue else {
            throw PushRequestError(.invalidPayload, "payload.\(name) must be a string")
        }
        guard text.utf8.count <= limit else {
            throw PushRequestError(
                .payloadTooLarge,
                "payload.\(name) must be at most \(limit) bytes, not \(text.utf8.count)"
            )
        }
        return text
    }
}
