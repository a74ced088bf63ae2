package import ChorusProtocol
package import NIOHTTP1

/// A complete HTTP API response.
package struct PusherHTTPResponse: Sendable {
    package var status: HTTPResponseStatus
    package var headers: HTTPHeaders
    package var body: [UInt8]

    package init(status: HTTPResponseStatus, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text.
    package var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON.
    package func json() throws -> JSONValue {
        try JSONValue(parsing: body)
    }
}
