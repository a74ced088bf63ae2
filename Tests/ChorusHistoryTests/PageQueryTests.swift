import ChorusHistory
import Testing

@Suite("History queries: direction, limit, bounds")
struct PageQueryTests {
    @Test("direction: newest_first by default; aliases backwards and forwards; anything else is 400")
    func direction() throws {
        #expect(try PageQuery(parameters: [], maxPageSize: 100).direction == .newestFirst)
        for (text, direction) in [
            ("newest_first", PageDirection.newestFirst), ("backwards", .newestFirst), ("oldest_first", .oldestFirst),
            ("forwards", .oldestFirst),
        ] {
            #expect(try PageQuery(parameters: [("direction", text)], maxPageSize: 100).direction == direction)
        }
        for text in ["", "up", "NEWEST_FIRST"] {
            #expect(throws: HistoryRequestError.self) {
                try PageQuery(parameters: [("direction", text)], maxPageSize: 100)
            }
        }
    }

    @Test("limit: 1 and max accepted, default max; 0, max+1, negative and non-integers are 400")
    func limit() throws {
        #expect(try PageQuery(parameters: [], maxPageSize: 100).limit == 100)
        #expect(try PageQuery(parameters: [("limit", "1")], maxPageSize: 100).limit == 1)
        #expect(try PageQuery(parameters: [("limit", "100")], maxPageSize: 100).limit == 100)
        for text in ["0", "101", "-1", "1.5", "", "ten", "99999999999999999999"] {
            let error = #expect(throws: HistoryRequestError.self) {
                try PageQuery(parameters: [("limit", text)], maxPageSize: 100)
            }
            #expect(error?.code == .invalidLimit)
        }
    }

    @Test("an empty cursor is no cursor")
    func emptyCursor() throws {
        #expect(try PageQuery(parameters: [("cursor", "")], maxPageSize: 10).cursor == nil)
        #expect(try PageQuery(parameters: [("cursor", "abc")], maxPageSize: 10).cursor == "abc")
    }

    @Test("bounds are inclusive; start after end, negatives and non-integers are 400")
    func bounds() throws {
        let bounds = try HistoryBounds(parameters: [("start_serial", "2"), ("end_serial", "4")])
        #expect(bounds.contains(serial: 2, publishedAtMs: 0))
        #expect(bounds.contains(serial: 4, publishedAtMs: 0))
        #expect(!bounds.contains(serial: 5, publishedAtMs: 0))
        #expect(!bounds.contains(serial: 1, publishedAtMs: 0))
        let equal = try HistoryBounds(parameters: [("start_time_ms", "7"), ("end_time_ms", "7")])
        #expect(equal.contains(serial: 1, publishedAtMs: 7))
        #expect(!equal.contains(serial: 1, publishedAtMs: 8))
        for parameters in [
            [("start_serial", "5"), ("end_serial", "4")], [("start_time_ms", "9"), ("end_time_ms", "1")],
            [("start_serial", "-1")], [("end_time_ms", "soon")],
        ] {
            let error = #expect(throws: HistoryRequestError.self) { try HistoryBounds(parameters: parameters) }
            #expect(error?.code == .invalidBounds)
        }
    }
}
