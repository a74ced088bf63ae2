/// The paging part of a history or versions query: `direction`, `limit` and `cursor`.
public struct PageQuery: Sendable, Hashable {
    public var direction: PageDirection
    public var limit: Int
    /// The previous page's `next_cursor`, as sent; nil (or empty) for the first page.
    public var cursor: String?

    public init(direction: PageDirection = .newestFirst, limit: Int, cursor: String? = nil) {
        self.direction = direction
        self.limit = limit
        self.cursor = cursor
    }

    /// Reads `direction` (default `newest_first`), `limit` (an integer 1…`maxPageSize`, default
    /// `maxPageSize`) and `cursor` from decoded query parameters; anything else there is ignored.
    public init(parameters: [(String, String)], maxPageSize: Int) throws(HistoryRequestError) {
        let value = { (name: String) in parameters.first { $0.0 == name }?.1 }
        if let text = value("direction") {
            guard let direction = PageDirection(parameter: text) else {
                throw HistoryRequestError(
                    .invalidDirection,
                    "direction must be newest_first, oldest_first, backwards or forwards; got '\(text)'"
                )
            }
            self.direction = direction
        } else {
            direction = .newestFirst
        }
        if let text = value("limit") {
            guard let limit = Int(text), (1...maxPageSize).contains(limit) else {
                throw HistoryRequestError(
                    .invalidLimit,
                    "limit must be an integer from 1 to \(maxPageSize); got '\(text)'"
                )
            }
            self.limit = limit
        } else {
            limit = maxPageSize
        }
        cursor = value("cursor").flatMap { $0.isEmpty ? nil : $0 }
    }
}
