import ChorusClient
import ChorusProtocol
import NIOHTTP1

/// Reads channel history through the signed HTTP API, as any user of it would:
/// `GET /apps/{id}/channels/{channel}/history`, following `next_cursor` until `has_more` is false.
///
/// Only the documented wire shape is used (`items[].serial`, `items[].event_name`,
/// `items[].message.data`, `has_more`, `next_cursor`), so the check runs against any server with
/// the history API.
struct HistoryReader: Sendable {
    /// Items per page asked for; servers allow 1…`max_page_size` (100 by default).
    static let pageSize = 100

    let client: PusherHTTPClient
    let appID: String

    init(client: PusherHTTPClient, appID: String) {
        self.client = client
        self.appID = appID
    }

    /// The newest serial in `channel`'s history, 0 when it is empty.
    func latestSerial(channel: String) async throws(HistoryReadError) -> Int64 {
        let page = try await page(channel: channel, query: [("direction", "newest_first"), ("limit", "1")])
        guard let first = page.items.first else { return 0 }
        guard let serial = first["serial"]?.intValue else { throw .malformed(channel, "an item without a serial") }
        return Int64(serial)
    }

    /// The sequence numbers (``EventPayload``) of `channel`'s items named `eventName` with a serial
    /// above `after`, oldest first; `nil` for an item whose data carries none.
    func sequences(
        channel: String,
        eventName: String,
        after: Int64
    ) async throws(HistoryReadError) -> [Int64?] {
        var sequences: [Int64?] = []
        var cursor: String?
        var lastSerial = after
        repeat {
            var query = [
                ("direction", "oldest_first"), ("limit", String(Self.pageSize)), ("start_serial", String(after + 1)),
            ]
            if let cursor { query.append(("cursor", cursor)) }
            let page = try await page(channel: channel, query: query)
            for item in page.items {
                guard let serial = item["serial"]?.intValue.map(Int64.init), serial > lastSerial else {
                    throw .malformed(channel, "serials not increasing after \(lastSerial)")
                }
                lastSerial = serial
                guard item["event_name"]?.stringValue == eventName else { continue }
                let data = item["message"]?["data"]?.stringValue
                sequences.append(data.flatMap { try? JSONValue(parsing: $0) }?["seq"]?.intValue.map(Int64.init))
            }
            cursor = page.nextCursor
        } while cursor != nil
        return sequences
    }

    private struct Page {
        var items: [JSONValue]
        var nextCursor: String?
    }

    private func page(channel: String, query: [(String, String)]) async throws(HistoryReadError) -> Page {
        let path = "/apps/\(QueryString.percentEncode(appID))/channels/\(QueryString.percentEncode(channel))/history"
        let response: PusherHTTPResponse
        do {
            response = try await client.request(method: .GET, path: path, query: query)
        } catch {
            throw .unanswered(channel, "\(error)")
        }
        guard response.status.code == 200 else {
            throw .status(channel, Int(response.status.code), String(response.bodyText.prefix(200)))
        }
        guard let body = try? response.json(), let items = body["items"]?.arrayValue,
            let hasMore = body["has_more"]?.boolValue
        else { throw .malformed(channel, "no items or has_more") }
        let cursor = body["next_cursor"]?.stringValue
        guard hasMore == (cursor != nil) else { throw .malformed(channel, "has_more disagrees with next_cursor") }
        return Page(items: items, nextCursor: cursor)
    }
}

/// Why ``HistoryReader`` could not read a channel's history.
enum HistoryReadError: Error, Sendable, Hashable, CustomStringConvertible {
    case unanswered(String, String)
    case status(String, Int, String)
    case malformed(String, String)

    var description: String {
        switch self {
        case .unanswered(let channel, let reason): "\(channel): no answer (\(reason))"
        case .status(let channel, let code, let body): "\(channel): HTTP \(code) \(body)"
        case .malformed(let channel, let reason): "\(channel): unexpected page, \(reason)"
        }
    }
}
