package import ChorusClient
package import ChorusProtocol
import NIOHTTP1

extension PusherHTTPClient {
    /// A signed `POST` of `json` to `path`.
    package func post(
        _ path: String,
        json: JSONValue,
        signing: RequestSigning = .valid
    ) async throws -> PusherHTTPResponse {
        try await request(method: .POST, path: path, body: Array(json.jsonText.utf8), signing: signing)
    }

    /// A signed `GET` of `path` with the caller's `query`.
    package func get(
        _ path: String,
        query: [(String, String)] = [],
        signing: RequestSigning = .valid
    ) async throws -> PusherHTTPResponse {
        try await request(method: .GET, path: path, query: query, signing: signing)
    }
}

extension PusherHTTPResponse {
    /// The machine `code` of an error body, if there is one.
    package var errorCode: String? { (try? json())?["code"]?.stringValue }
}
