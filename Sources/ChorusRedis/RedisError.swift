/// What can go wrong talking to Redis.
package enum RedisError: Error, Sendable, Equatable {
    /// The `redis://` URL could not be used; the text says why (it never repeats the password).
    case invalidURL(String)
    /// The link is not ready (connecting, reconnecting or shut down), or the connection dropped before the answer came.
    case disconnected
    /// Redis answered with an error reply (`-ERR …`); the text is the reply.
    case server(String)
    /// The server sent bytes that are not RESP2, or an answer of the wrong shape.
    case protocolViolation(String)
}

extension RedisError: CustomStringConvertible {
    package var description: String {
        switch self {
        case .invalidURL(let reason): "invalid Redis URL: \(reason)"
        case .disconnected: "not connected to Redis"
        case .server(let message): "Redis error: \(message)"
        case .protocolViolation(let reason): "RESP protocol violation: \(reason)"
        }
    }
}
