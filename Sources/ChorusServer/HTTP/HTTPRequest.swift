package import NIOCore
package import NIOHTTP1

/// A complete HTTP request: its head and its whole body (bounded by the server's body cap).
package struct HTTPRequest: Sendable {
    package var head: HTTPRequestHead
    package var body: ByteBuffer
    package var remoteAddress: SocketAddress?
    /// When the request's last byte arrived (the start of publish-to-enqueue latency).
    package var receivedAt: NIODeadline

    package init(
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
    package var path: Substring {
        head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
    }

    /// The raw query string (after `?`), empty when there is none.
    package var rawQuery: Substring {
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count > 1 ? parts[1] : ""
    }
}

/// A complete HTTP response.
package struct HTTPResponse: Sendable {
    package var status: HTTPResponseStatus
    package var headers: HTTPHeaders
    package var body: ByteBuffer
    /// The request published events: the connection reads its next request only after the
    /// engine has delivered them (back-pressure for publishers; the response itself leaves first).
    package var awaitsFanOut = false

    package init(status: HTTPResponseStatus, headers: HTTPHeaders = HTTPHeaders(), body: ByteBuffer = ByteBuffer()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response.
    package static func json(
        _ status: HTTPResponseStatus,
        _ text: String,
        headers: HTTPHeaders = HTTPHeaders()
    ) -> HTTPResponse {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        return HTTPResponse(status: status, headers: headers, body: ByteBuffer(string: text))
    }
}
