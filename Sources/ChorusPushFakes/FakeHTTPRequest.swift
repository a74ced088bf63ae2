import NIOCore
import NIOHTTP1

/// One complete request a fake received (HTTP/1.1, or HTTP/2 through the HTTP/1 codec).
struct FakeHTTPRequest {
    var method: HTTPMethod
    /// The path and query as sent.
    var target: String
    var headers: HTTPHeaders
    var body: ByteBuffer

    /// The path without the query.
    var path: Substring {
        target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    }

    /// The single value of header `name`; `nil` when absent or repeated.
    func header(_ name: String) -> String? {
        let values = headers[name]
        return values.count == 1 ? values[0] : nil
    }
}
