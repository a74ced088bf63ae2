package import Logging
package import NIOCore
package import NIOHTTP1

/// The per-IP limits of one server: `api_requests_per_ip_per_minute` over the signed API and
/// `connections_per_ip_per_second` over WebSocket upgrades, counted per client address
/// (``ClientAddressResolver``). Loopback is counted like any other address.
package struct ClientLimits: Sendable {
    package let addresses: ClientAddressResolver
    /// `nil` when `api_requests_per_ip_per_minute` is 0.
    package let apiRequests: SlidingWindowLimiter?
    /// `nil` when `connections_per_ip_per_second` is 0.
    package let connections: SlidingWindowLimiter?
    private let metrics: ServerMetrics
    private let logger: Logger

    /// The limits `configuration` sets; refusals are counted in `metrics` (`chorus_per_ip_refusals_total`).
    package init(configuration: ServerConfiguration, metrics: ServerMetrics, logger: Logger) {
        addresses = ClientAddressResolver(trustedProxies: configuration.trustedProxies.compactMap(IPAddressRange.init))
        let perMinute = configuration.apiRequestsPerIPPerMinute
        apiRequests = perMinute > 0 ? SlidingWindowLimiter(limit: perMinute, window: .seconds(60)) : nil
        let perSecond = configuration.connectionsPerIPPerSecond
        connections = perSecond > 0 ? SlidingWindowLimiter(limit: perSecond, window: .seconds(1)) : nil
        self.metrics = metrics
        self.logger = logger
    }

    /// Counts a signed API request; the 429 to answer when its client is over the limit, else `nil`.
    package func refusal(ofAPIRequest request: HTTPRequest, now: NIODeadline) -> HTTPResponse? {
        guard let apiRequests,
            let client = addresses.client(peer: request.remoteAddress, headers: request.head.headers)
        else { return nil }
        let decision = apiRequests.acquire(client, now: now)
        guard !decision.allowed else { return nil }
        metrics.recordPerIPRefusal(limit: "api_requests")
        logger.debug("API request refused: per-IP limit", metadata: ["client": "\(client)"])
        var response = APIError.ipRateLimited(limit: decision.limit, per: "minute").response
        response.headers.add(contentsOf: decision.headers)
        return response
    }

    /// Counts a WebSocket upgrade; the refusal to answer when its client is over the limit, else `nil`.
    package func refusal(ofUpgrade head: HTTPRequestHead, peer: SocketAddress?, now: NIODeadline) -> UpgradeRefusal? {
        guard let connections, let client = addresses.client(peer: peer, headers: head.headers) else { return nil }
        let decision = connections.acquire(client, now: now)
        guard !decision.allowed else { return nil }
        metrics.recordPerIPRefusal(limit: "connections")
        logger.debug("WebSocket upgrade refused: per-IP connection limit", metadata: ["client": "\(client)"])
        var response = APIError.ipRateLimited(limit: decision.limit, per: "second").response
        response.headers.add(contentsOf: decision.headers)
        return UpgradeRefusal(response: response)
    }
}

/// A WebSocket upgrade the server refuses with an HTTP response; `shouldUpgrade` fails with it and
/// ``HTTPServerHandler`` answers the request with ``response`` instead of routing it.
package struct UpgradeRefusal: Error, Sendable {
    package var response: HTTPResponse
}

extension APIError {
    /// The client address is over a per-IP limit of `limit` per `per` (`minute`, `second`).
    static func ipRateLimited(limit: Int, per unit: String) -> APIError {
        APIError(
            status: .tooManyRequests,
            code: "rate_limited",
            message:
                "Too many requests from this address (limit \(limit) per \(unit)); retry after the time in Retry-After"
        )
    }
}
