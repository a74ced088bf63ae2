/// A history, message or annotation request that breaks a rule of the API: a 400 with a stable
/// `code` for programs and a sentence for people.
public struct HistoryRequestError: Error, Sendable, Hashable {
    public var code: Code
    public var message: String

    /// The machine codes of refused requests.
    public enum Code: String, Sendable, Hashable {
        case invalidDirection = "invalid_direction"
        case invalidLimit = "invalid_limit"
        case invalidBounds = "invalid_bounds"
        case invalidCursor = "invalid_cursor"
        case cursorExpired = "cursor_expired"
        case invalidBody = "invalid_request"
        case missingField = "missing_field"
        case invalidIdempotencyKey = "invalid_idempotency_key"
        case invalidAnnotationType = "invalid_annotation_type"
        case invalidFromSerial = "invalid_from_serial"
    }

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
