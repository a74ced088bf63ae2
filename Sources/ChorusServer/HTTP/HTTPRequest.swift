public import NIOCore
public import NIOHTTP1

/// A complete HTTP request: its head and its whole body (bounded by the server's body cap).
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: ByteBuffer
    public var remoteAddress: SocketAddress?
    /// When the request's last byte arrived (the start of publish-to-enqueue latency).
    public var receivedAt: NIODeadline

    public init(
        head: HTTPRequestHead,
        body: ByteBuffer,
        remoteAddress: SocketAddress? = nil,
        receivedAt: NIODeadline = .now()
    ) {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
        self.receivedAt = receivedAt
    }

    /// The path without the query string.
    public var path: Substring {
        head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
    }

    /// The raw query string (after `?`), empty when there is none.
    public var rawQuery: Substring {
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count > 1 ? parts[1] : ""
    }
}

/// A complete HTTP response.
public struct HTTPResponse: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer
    /// The request published events: the connection reads its next request only after the
    /// engine has delivered them (back-pressure for publishers; the response itself leaves first).
    public var awaitsFanOut = false

    public init(status: HTTPResponseStatus, headers: HTTPHeaders = HTTPHeaders(), body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response.
    public static func json(
        _ status: HTTPResponseStatus,
        _ text: String,
        headers: HTTPHeaders = HTTPHeaders()
    ) -> HTTPResponse {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: status, headers: headers, body: ByteBuffer(string: text))
    }
}
