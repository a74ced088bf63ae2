/// A push request that breaks a rule of the API: a 400 with a stable `code` for programs and a
/// sentence for people.
public struct PushRequestError: Error, Sendable, Hashable {
    public var code: Code
    public var message: String

    /// The machine codes of refused push requests.
    public enum Code: String, Sendable, Hashable {
        case invalidBody = "invalid_request"
        case missingField = "missing_field"
        case invalidField = "invalid_field"
        case unknownPlatform = "unknown_platform"
        case unknownProvider = "unknown_provider"
        case invalidRecipients = "invalid_recipients"
        case invalidPayload = "invalid_payload"
        case payloadTooLarge = "payload_too_large"
        case invalidIdempotencyKey = "invalid_idempotency_key"
        case idempotencyConflict = "idempotency_conflict"
        case schedulingUnsupported = "scheduling_unsupported"
        case missingFilter = "missing_filter"
        case invalidLimit = "invalid_limit"
        case invalidCursor = "invalid_cursor"
    }

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
