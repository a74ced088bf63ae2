/// Where a reconnecting link (``RedisClient``, ``RedisSubscription``) is.
package enum RedisLinkState: Sendable, Equatable {
    /// Started, the first connection is being made.
    case connecting
    /// Connected, authenticated, database selected (and, for a subscription, every channel confirmed).
    case ready
    /// The connection was lost or could not be made; the link is retrying with backoff.
    case disconnected(reason: String)
}
