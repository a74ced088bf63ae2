import ChorusHistory
import ChorusProtocol

/// A `cursor` as a client sends it back, and the query around it. Fields: the cursor text, then
/// the query string. Only the exact text the server issues for a query decodes (anything else is
/// refused as `invalid_cursor`); an issued cursor decodes to its own position for its own query
/// and to nothing for another direction.
enum HistoryCursorFuzz {
    static let signer = HMACSigner(secret: "chorus-secret")
    static let channel = ChannelRef(appID: "1", channel: "hist-fuzz")

    static func run(_ bytes: [UInt8]) {
        let fields = FuzzFields.split(bytes, into: 2)
        let text = String(decoding: fields[0], as: UTF8.self)
        let parameters = QueryString.parse(Substring(String(decoding: fields[1], as: UTF8.self)))
        guard let page = try? PageQuery(parameters: parameters, maxPageSize: 100),
            let bounds = try? HistoryBounds(parameters: parameters)
        else { return }
        precondition((1...100).contains(page.limit), "a limit outside 1...100 was accepted")
        let scope = HistoryCursor.Scope.history(bounds)
        do throws(HistoryRequestError) {
            let position = try HistoryCursor.position(
                of: text,
                signer: signer,
                channel: channel,
                scope: scope,
                direction: page.direction
            )
            let reissued = HistoryCursor(channel: channel, scope: scope, direction: page.direction, position: position)
            precondition(reissued.encoded(signer: signer) == text, "a cursor the server never issued decoded")
        } catch {
            precondition(error.code == .invalidCursor, "a bad cursor was refused as \(error.code)")
        }
        // A cursor issued for the query round-trips, and only for that query.
        let position = Int64(fields[0].count) * 7919 - 1
        let issued = HistoryCursor(channel: channel, scope: scope, direction: page.direction, position: position)
            .encoded(signer: signer)
        let decoded = try? HistoryCursor.position(
            of: issued,
            signer: signer,
            channel: channel,
            scope: scope,
            direction: page.direction
        )
        precondition(decoded == position, "an issued cursor did not decode to its position")
        let other = page.direction == .newestFirst ? PageDirection.oldestFirst : .newestFirst
        let foreign = try? HistoryCursor.position(
            of: issued,
            signer: signer,
            channel: channel,
            scope: scope,
            direction: other
        )
        precondition(foreign == nil, "a cursor decoded for the other direction")
    }
}
