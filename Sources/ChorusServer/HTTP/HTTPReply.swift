package import NIOHTTP1

/// What the router answers a request with: a response at once, or one that waits for the history
/// store (the connection reads no further request until it is written).
package enum HTTPReply: Sendable {
    case now(HTTPResponse)
    case later(@Sendable () async -> HTTPResponse)

    /// The same reply with `transform` applied to its response, whenever that is ready.
    package func map(_ transform: @escaping @Sendable (HTTPResponse) -> HTTPResponse) -> HTTPReply {
        switch self {
        case .now(let response): .now(transform(response))
        case .later(let work): .later { transform(await work()) }
        }
    }

    /// The same reply, marked to hold the connection's next request until its fan-out ran
    /// (``HTTPResponse/awaitsFanOut``) when it is a 200.
    package func awaitingFanOut() -> HTTPReply {
        switch self {
        case .now(var response):
            response.awaitsFanOut = response.status == .ok
            return .now(response)
        case .later:
            return map { response in
                var response = response
                response.awaitsFanOut = response.status == .ok
                return response
            }
        }
    }

    /// The same reply with `headers` added to its response.
    package func adding(headers: HTTPHeaders) -> HTTPReply {
        guard !headers.isEmpty else { return self }
        return map { response in
            var response = response
            response.headers.add(contentsOf: headers)
            return response
        }
    }
}
