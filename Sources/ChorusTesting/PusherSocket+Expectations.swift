package import ChorusClient
package import ChorusProtocol
package import NIOCore

/// What tests expect of a Pusher connection, each failing with ``UnexpectedMessage``.
extension PusherSocket {
    /// The next message, which must be `event` (on `channel`, when given).
    @discardableResult
    package func expect(
        _ event: String,
        channel: String? = nil,
        timeout: TimeAmount = .seconds(5)
    ) async throws -> PusherMessage {
        let message = try await next(timeout: timeout)
        guard message.event == event, channel == nil || message.channel == channel else {
            throw UnexpectedMessage(expected: event, got: message)
        }
        return message
    }

    /// Waits for the close frame and returns its code; fails on any other message.
    package func expectClose(timeout: TimeAmount = .seconds(5)) async throws -> UInt16? {
        do {
            let message = try await next(timeout: timeout)
            throw UnexpectedMessage(expected: "close", got: message)
        } catch PusherSocketError.closed(let code, _) {
            return code
        }
    }

    /// Asserts nothing arrives within `window`.
    package func expectSilence(for window: TimeAmount = .milliseconds(300)) async throws {
        do {
            let message = try await next(timeout: window)
            throw UnexpectedMessage(expected: "silence", got: message)
        } catch WebSocketSessionError.timedOut {
            return
        }
    }
}

/// A test expected one message and the server sent another.
package struct UnexpectedMessage: Error, CustomStringConvertible {
    package var expected: String
    package var got: PusherMessage
    package var description: String { "expected \(expected), got \(got.jsonText)" }
}
