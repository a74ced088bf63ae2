package import ChorusProtocol
package import NIOCore

/// A Pusher client connection: connected once `pusher:connection_established` has arrived.
package struct PusherSocket: Sendable {
    /// The WebSocket underneath, for raw frames and close codes.
    package let session: WebSocketSession
    /// The socket id the server assigned.
    package let socketID: String
    /// The server's `activity_timeout` in seconds, if it sent one.
    package let activityTimeout: Int?

    /// Opens `/app/{key}` and waits for `pusher:connection_established`.
    ///
    /// Throws ``PusherSocketError`` when the server answers with anything else (say `pusher:error`
    /// for an unknown key) or closes, and ``WebSocketSessionError/timedOut`` after `timeout`.
    package static func connect(
        connector: WebSocketConnector,
        key: String,
        on group: any EventLoopGroup,
        timeout: TimeAmount = .seconds(10)
    ) async throws -> PusherSocket {
        let session = try await WebSocketSession.open(
            connector: connector,
            path: WebSocketConnector.pusherPath(key: key),
            on: group
        )
        do {
            let first = try await Self.message(from: session.next(timeout: timeout))
            guard first.event == PusherEventName.connectionEstablished,
                let data = first.dataObject,
                let socketID = data["socket_id"]?.stringValue
            else {
                throw PusherSocketError.unexpectedHandshake(first)
            }
            return PusherSocket(
                session: session,
                socketID: socketID,
                activityTimeout: data["activity_timeout"]?.intValue
            )
        } catch {
            await session.abort()
            throw error
        }
    }

    /// Sends a Pusher message.
    package func send(_ message: PusherMessage) async throws {
        try await session.send(text: message.jsonText)
    }

    /// Sends Pusher messages in one write, so the server reads them in one go.
    package func send(burst messages: [PusherMessage]) async throws {
        try await session.send(texts: messages.map(\.jsonText))
    }

    /// Sends a text frame exactly as given (for malformed or unusual messages).
    package func send(rawText: String) async throws {
        try await session.send(text: rawText)
    }

    /// Sends `pusher:subscribe` (data as an object, as pusher-js does); does not wait for the answer.
    package func subscribe(channel: String, auth: String? = nil, channelData: String? = nil) async throws {
        var data: [String: JSONValue] = ["channel": .string(channel)]
        if let auth { data["auth"] = .string(auth) }
        if let channelData { data["channel_data"] = .string(channelData) }
        try await send(PusherMessage(event: PusherEventName.subscribe, data: .object(data)))
    }

    /// Sends `pusher:unsubscribe`.
    package func unsubscribe(channel: String) async throws {
        try await send(PusherMessage(event: PusherEventName.unsubscribe, data: ["channel": .string(channel)]))
    }

    /// The next Pusher message; throws ``PusherSocketError/closed(code:reason:)`` if the server
    /// closes instead and ``WebSocketSessionError/timedOut`` if nothing arrives in time.
    package func next(timeout: TimeAmount = .seconds(5)) async throws -> PusherMessage {
        try await Self.message(from: session.next(timeout: timeout))
    }

    /// Closes with a normal closing handshake.
    package func close() async {
        await session.close()
    }

    private static func message(from inbound: WebSocketInbound) throws -> PusherMessage {
        switch inbound {
        case .text(let text):
            do {
                return try PusherMessage(parsing: Array(text.utf8))
            } catch {
                throw PusherSocketError.notAPusherMessage(text)
            }
        case .binary, .pong:
            // Pongs reach only sessions opened with `deliverPongs`, which this one is not.
            throw PusherSocketError.unexpectedBinary
        case .close(let code, let reason):
            throw PusherSocketError.closed(code: code, reason: reason)
        case .disconnected:
            throw PusherSocketError.closed(code: nil, reason: "connection ended without a close frame")
        }
    }
}

/// Why a ``PusherSocket`` did not produce a message.
package enum PusherSocketError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The first message was not a well-formed `pusher:connection_established`.
    case unexpectedHandshake(PusherMessage)
    /// A text frame that is not a Pusher envelope.
    case notAPusherMessage(String)
    /// A binary frame, which the protocol never uses.
    case unexpectedBinary
    /// The server closed the connection (close frame code, if one was sent).
    case closed(code: UInt16?, reason: String)

    package var description: String {
        switch self {
        case .unexpectedHandshake(let message): "Expected pusher:connection_established, got \(message.jsonText)"
        case .notAPusherMessage(let text): "Not a Pusher message: \(text)"
        case .unexpectedBinary: "Unexpected binary frame"
        case .closed(let code, let reason): "Connection closed (code \(code.map(String.init) ?? "none")): \(reason)"
        }
    }
}
