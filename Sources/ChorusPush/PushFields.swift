public import ChorusProtocol

/// The fields of a push request body or query, each found under its snake_case name or the
/// camelCase one the Sockudo SDK sends (`device_id` or `deviceId`). Unknown fields are ignored.
public struct PushFields: Sendable {
    private let lookup: @Sendable (String) -> JSONValue?

    /// The members of a JSON object body; a 400 when the body is not an object.
    public init(body: JSONValue) throws(PushRequestError) {
        guard let object = body.objectValue else {
            throw PushRequestError(.invalidBody, "The request body must be a JSON object")
        }
        lookup = { object[$0] }
    }

    /// Query parameters, as strings (the first of a repeated name).
    public init(query: [(String, String)]) {
        var values: [String: JSONValue] = [:]
        for (name, value) in query where values[name] == nil { values[name] = .string(value) }
        lookup = { [values] in values[$0] }
    }

    /// The value under `name` or its camelCase spelling; JSON null counts as absent.
    public func value(_ name: String) -> JSONValue? {
        let value = lookup(name) ?? lookup(Self.camelCase(name))
        return value == .null ? nil : value
    }

    /// A string field; a 400 when it is present but not a non-empty string.
    public func string(_ name: String) throws(PushRequestError) -> String? {
        guard let value = value(name) else { return nil }
        guard let text = value.stringValue, !text.isEmpty else {
            throw PushRequestError(.invalidField, "\(name) must be a non-empty string")
        }
        return text
    }

    /// A string field that must be there.
    public func requiredString(_ name: String) throws(PushRequestError) -> String {
        guard let text = try string(name) else { throw PushRequestError(.missingField, "\(name) is required") }
        return text
    }

    /// `device_id` → `deviceId`.
    static func camelCase(_ name: String) -> String {
        let words = name.split(separator: "_")
        guard let first = words.first else { return name }
        return String(first) + words.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
