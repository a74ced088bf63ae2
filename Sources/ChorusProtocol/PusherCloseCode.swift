/// The Pusher error and close codes a server sends in `pusher:error` and in WebSocket close frames.
///
/// 4000–4099: the connection is closed and the client must not reconnect as it is.
/// 4100–4199: the client may reconnect after backing off.
/// 4200–4299: the client may reconnect at once.
/// 4300–4399: other errors (rate limits, watchlists), the connection may stay open.
public enum PusherErrorCode: UInt16, Sendable, CaseIterable {
    case tlsOnly = 4000
    case appDoesNotExist = 4001
    case appDisabled = 4003
    case overConnectionQuota = 4004
    case pathNotFound = 4005
    case invalidVersionFormat = 4006
    case unsupportedProtocolVersion = 4007
    case noProtocolVersion = 4008
    case unauthorized = 4009
    case overCapacity = 4100
    case genericReconnect = 4200
    case pongNotReceived = 4201
    case closedForInactivity = 4202
    case clientEventRateLimit = 4301
    case watchlistLimitExceeded = 4302

    /// What the code means, worded for a log line or a `pusher:error` message.
    public var meaning: String {
        switch self {
        case .tlsOnly: "Application only accepts TLS connections"
        case .appDoesNotExist: "Application does not exist"
        case .appDisabled: "Application disabled"
        case .overConnectionQuota: "Application is over its connection quota"
        case .pathNotFound: "Path not found"
        case .invalidVersionFormat: "Invalid version string format"
        case .unsupportedProtocolVersion: "Unsupported protocol version"
        case .noProtocolVersion: "No protocol version supplied"
        case .unauthorized: "Connection is unauthorized"
        case .overCapacity: "Over capacity"
        case .genericReconnect: "Generic reconnect immediately"
        case .pongNotReceived: "Pong reply not received"
        case .closedForInactivity: "Closed after inactivity"
        case .clientEventRateLimit: "Client event rejected due to rate limit"
        case .watchlistLimitExceeded: "Watchlist has more than 100 entries"
        }
    }
}
