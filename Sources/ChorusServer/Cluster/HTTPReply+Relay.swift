import NIOCore

extension HTTPReply {
    /// The same reply, answered once the cluster relayed the publishes in `relayed` — or 503
    /// `cluster_unavailable` when one may not have reached every node, after `failed` ran (it
    /// forgets the request's idempotency keys, so a retry publishes again). On one node
    /// (`relayed` empty) the reply is unchanged.
    func afterRelay(_ relayed: [EventLoopFuture<Void>], failed: @escaping @Sendable () -> Void = {}) -> HTTPReply {
        guard !relayed.isEmpty else { return self }
        let reply = self
        return .later {
            for relay in relayed {
                do {
                    try await relay.get()
                } catch {
                    failed()
                    return APIError.clusterUnavailable.response
                }
            }
            switch reply {
            case .now(let response): return response
            case .later(let work): return await work()
            }
        }
    }
}
