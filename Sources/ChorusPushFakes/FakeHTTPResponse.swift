import ChorusProtocol
import NIOHTTP1

/// A fake's answer to one request.
struct FakeHTTPResponse {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: [UInt8]

    init(status: HTTPResponseStatus, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `json` as the body, with its content type.
    static func json(_ status: HTTPResponseStatus, _ json: JSONValue, headers: HTTPHeaders = [:]) -> Self {
        var headers = headers
        headers.add(name: "content-type", value: "application/json")
        return Self(status: status, headers: headers, body: Array(json.jsonText.utf8))
    }
}
