import ChorusProtocol

/// Paging of the push lists: `limit` (1…1000, default 100) and an opaque `cursor` that carries
/// the key of the last item of the previous page (`next_cursor`).
public struct ListPosition: Sendable, Hashable {
    public var limit: Int
    /// The last key of the previous page; nil for the first page.
    public var after: [String]?

    public static let defaultLimit = 100
    public static let maxLimit = 1000

    public init(query: [(String, String)]) throws(PushRequestError) {
        let fields = PushFields(query: query)
        if let text = try fields.string("limit") {
            guard let limit = Int(text), (1...Self.maxLimit).contains(limit) else {
                throw PushRequestError(.invalidLimit, "limit must be an integer from 1 to \(Self.maxLimit)")
            }
            self.limit = limit
        } else {
            limit = Self.defaultLimit
        }
        if let cursor = try fields.string("cursor") {
            guard let after = Self.decode(cursor) else {
                throw PushRequestError(.invalidCursor, "cursor is not a next_cursor of this list")
            }
            self.after = after
        }
    }

    /// The `next_cursor` of a page that ended on `key`.
    public static func cursor(after key: [String]) -> String {
        Base64URL.encode(JSONValue.array(key.map(JSONValue.string)).jsonText.utf8)
    }

    private static func decode(_ cursor: String) -> [String]? {
        guard let bytes = Base64URL.decode(cursor), let json = try? JSONValue(parsing: bytes),
            let items = json.arrayValue
        else { return nil }
        let keys = items.compactMap(\.stringValue)
        return keys.count == items.count && !keys.isEmpty ? keys : nil
    }
}
