package import NIOCore

/// A RESP2 value, as Redis answers.
package enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int)
    /// `nil` is the null bulk string (`$-1`).
    case bulkString(ByteBuffer?)
    /// `nil` is the null array (`*-1`).
    case array([RESPValue]?)
}
