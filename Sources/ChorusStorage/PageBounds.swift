import ChorusHistory

/// A page request as inclusive ranges of positions, the cursor folded into the bounds.
///
/// Both SQL backends query `BETWEEN lowest AND highest` on an indexed column with no optional
/// parameters, so the planner always walks the index from the cursor on, however deep the page.
struct PageBounds: Sendable, Hashable {
    var lowest: Int64
    var highest: Int64
    var ascending: Bool
    /// One more than the page holds: a row past the page tells `hasMore`.
    var fetchLimit: Int

    init(direction: PageDirection, limit: Int, after: Int64?, lowest: Int64?, highest: Int64?) {
        var low = max(lowest ?? 1, 1)
        var high = highest ?? .max
        ascending = direction == .oldestFirst
        if let after {
            if ascending {
                low = max(low, after == .max ? .max : after + 1)
            } else {
                high = min(high, after == .min ? .min : after - 1)
            }
        }
        self.lowest = low
        self.highest = high
        fetchLimit = max(limit, 0) + 1
    }

    init(_ request: HistoryPageRequest) {
        self.init(
            direction: request.direction,
            limit: request.limit,
            after: request.after,
            lowest: request.startSerial,
            highest: request.endSerial
        )
    }

    init(_ request: VersionPageRequest) {
        self.init(
            direction: request.direction,
            limit: request.limit,
            after: request.after.map(Int64.init),
            lowest: nil,
            highest: nil
        )
    }

    /// `ASC` or `DESC`, for the ORDER BY.
    var order: String { ascending ? "ASC" : "DESC" }

    /// Splits the fetched rows into the page and whether more lie beyond it.
    func page<Item>(_ rows: [Item]) -> (items: [Item], hasMore: Bool) {
        let limit = fetchLimit - 1
        return (Array(rows.prefix(limit)), rows.count > limit)
    }
}

extension HistoryPageRequest {
    /// Inclusive `published_at_ms` bounds, open ends as the extreme values.
    var timeBounds: (earliest: Int64, latest: Int64) {
        (startTimeMs ?? .min, endTimeMs ?? .max)
    }
}
