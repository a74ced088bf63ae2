import ChorusClient
import ChorusHistory
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOHTTP1
import Testing

/// The history API of a ``TestServer`` as the official SDK calls it: every path segment
/// percent-encoded with nothing left safe (`:` → `%3A`) and the path signed exactly as sent.
struct HistoryTestClient {
    let http: PusherHTTPClient
    let appID: String

    init(_ server: TestServer) {
        http = server.httpClient()
        appID = server.app.id
    }

    /// `/apps/{id}/channels/{channel}/{rest…}`, each segment encoded as the SDK encodes it.
    func path(_ channel: String, _ rest: String...) -> String {
        (["apps", appID, "channels", channel] + rest).map { "/" + QueryString.percentEncode($0) }.joined()
    }

    /// Publishes one event to `channel`, asking for its serials; returns the message serial and history serial.
    @discardableResult
    func publish(_ channel: String, name: String = "chat.msg", data: String = "hello") async throws -> (String, Int64) {
        let response = try await http.post(
            "/apps/\(appID)/events",
            json: ["name": .string(name), "channel": .string(channel), "data": .string(data), "info": "message_serial"]
        )
        try #require(response.status == .ok, "\(response.bodyText)")
        let entry = try response.json()["channels"]?[channel]
        let serial = try #require(entry?["message_serial"]?.stringValue)
        let historySerial = try #require(entry?["history_serial"]?.intValue)
        return (serial, Int64(historySerial))
    }

    func get(_ path: String, _ query: [(String, String)] = []) async throws -> PusherHTTPResponse {
        try await http.get(path, query: query)
    }

    func post(_ path: String, _ body: JSONValue) async throws -> PusherHTTPResponse {
        try await http.post(path, json: body)
    }

    func postRaw(_ path: String, _ body: String) async throws -> PusherHTTPResponse {
        try await http.request(method: .POST, path: path, body: Array(body.utf8))
    }

    func delete(_ path: String, _ query: [(String, String)] = []) async throws -> PusherHTTPResponse {
        try await http.request(method: .DELETE, path: path, query: query)
    }

    func history(_ channel: String, _ query: [(String, String)] = []) async throws -> PusherHTTPResponse {
        try await get(path(channel, "history"), query)
    }

    /// Every history serial of one full paging of `channel` in `direction` with `limit`.
    func pageThrough(_ channel: String, direction: String, limit: Int) async throws -> [Int64] {
        var serials: [Int64] = []
        var cursor: String?
        repeat {
            var query = [("direction", direction), ("limit", String(limit))]
            if let cursor { query.append(("cursor", cursor)) }
            let response = try await history(channel, query)
            try #require(response.status == .ok, "\(response.bodyText)")
            let page = try response.json()
            serials += (page["items"]?.arrayValue ?? []).compactMap { $0["serial"]?.intValue.map(Int64.init) }
            cursor = page["next_cursor"]?.stringValue
            #expect((page["has_more"] == true) == (cursor != nil))
        } while cursor != nil
        return serials
    }

    func shutdown() async {
        await http.shutdown()
    }
}

extension TestServer {
    /// Runs `body` with a history client of a fresh server whose first app keeps history on `channels`.
    static func withHistory<T: Sendable>(
        channels: [String] = ["*"],
        store: (any HistoryStore)? = nil,
        _ configure: @escaping (inout ServerConfiguration) -> Void = { _ in },
        _ body: (TestServer, HistoryTestClient) async throws -> T
    ) async throws -> T {
        try await TestServer.with(
            { configuration in
                configuration.apps[0].history = .everyChannel
                configuration.apps[0].history.channels = channels
                configure(&configuration)
            },
            historyStore: store
        ) { server in
            let client = HistoryTestClient(server)
            do {
                let result = try await body(server, client)
                await client.shutdown()
                return result
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }
}

extension PusherHTTPResponse {
    /// Whether this is an error answer with `status` and `code`.
    func isError(_ status: HTTPResponseStatus, _ code: String) -> Bool {
        self.status == status && errorCode == code
    }
}
