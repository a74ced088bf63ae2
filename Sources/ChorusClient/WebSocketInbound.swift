/// What a ``WebSocketSession`` receives from the server, in order.
package enum WebSocketInbound: Sendable, Hashable {
    /// A complete text message (continuation frames joined).
    case text(String)
    /// A complete binary message.
    case binary([UInt8])
    /// The server's close frame: its status code (if any) and reason.
    case close(code: UInt16?, reason: String)
    /// A pong frame's payload (only on sessions opened with `deliverPongs`).
    case pong([UInt8])
    /// The TCP connection ended (after a close frame, or without one).
    case disconnected
}
