import NIOConcurrencyHelpers
package import NIOCore
import NIOHTTP1
package import NIOWebSocket

/// An open WebSocket connection read from async code: send text, await what arrives next.
///
/// Client frames are masked (RFC 6455). Pings are answered and the closing handshake completed
/// by the session itself; close frames still show up in ``next(timeout:)`` with their code.
package final class WebSocketSession: Sendable {
    /// The underlying channel, for callers that need NIO directly.
    package let channel: any Channel
    /// The server's `Sec-WebSocket-Extensions` answer to the upgrade; `nil` when it sent none.
    package let acceptedExtensions: String?
    private let mailbox: WebSocketMailbox

    private init(channel: any Channel, acceptedExtensions: String?, mailbox: WebSocketMailbox) {
        self.channel = channel
        self.acceptedExtensions = acceptedExtensions
        self.mailbox = mailbox
    }

    /// Opens a WebSocket on `path` (e.g. ``WebSocketConnector/pusherPath(key:protocolVersion:)``);
    /// with `deliverPongs`, pong frames show up in ``next(timeout:)`` too.
    package static func open(
        connector: WebSocketConnector,
        path: String,
        on group: any EventLoopGroup,
        deliverPongs: Bool = false
    ) async throws -> WebSocketSession {
        let mailbox = WebSocketMailbox()
        let accepted = NIOLockedValueBox<String?>(nil)
        let channel = try await connector.connect(path: path, on: group) { channel, response in
            let extensions = response.headers["Sec-WebSocket-Extensions"]
            accepted.withLockedValue { $0 = extensions.isEmpty ? nil : extensions.joined(separator: ", ") }
            return channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(
                    WebSocketSessionHandler(mailbox: mailbox, deliversPongs: deliverPongs)
                )
            }
        }.get()
        return WebSocketSession(
            channel: channel,
            acceptedExtensions: accepted.withLockedValue { $0 },
            mailbox: mailbox
        )
    }

    /// Sends one text frame.
    package func send(text: String) async throws {
        var buffer = channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        try await send(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: buffer))
    }

    /// Sends text frames in one write, so the server reads them together.
    package func send(texts: [String]) async throws {
        let frames = texts.map { text in
            WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: text))
        }
        guard let last = frames.last else { return }
        let channel = self.channel
        try await channel.eventLoop.flatSubmit {
            for frame in frames.dropLast() { channel.write(NIOAny(frame), promise: nil) }
            return channel.writeAndFlush(NIOAny(last))
        }.get()
    }

    /// Sends a (masked) WebSocket ping frame carrying `payload`.
    package func ping(payload: String) async throws {
        try await send(WebSocketFrame(fin: true, opcode: .ping, maskKey: .random(), data: ByteBuffer(string: payload)))
    }

    /// Sends one frame as it is (the caller chooses opcode and mask).
    package func send(_ frame: WebSocketFrame) async throws {
        try await channel.writeAndFlush(frame)
    }

    /// The next thing received; throws ``WebSocketSessionError/timedOut`` if nothing arrives in time.
    package func next(timeout: TimeAmount) async throws -> WebSocketInbound {
        try await mailbox.next(timeout: timeout, on: channel.eventLoop)
    }

    /// Starts the closing handshake and waits (at most `timeout`) for the server to end the connection.
    package func close(code: WebSocketErrorCode = .normalClosure, timeout: TimeAmount = .seconds(2)) async {
        var buffer = channel.allocator.buffer(capacity: 2)
        buffer.write(webSocketErrorCode: code)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: buffer)
        try? await channel.writeAndFlush(frame)
        channel.eventLoop.scheduleTask(in: timeout) { [channel] in channel.close(promise: nil) }
        try? await channel.closeFuture.get()
    }

    /// Drops the TCP connection without a closing handshake.
    package func abort() async {
        try? await channel.close()
    }
}

/// Why a read from a ``WebSocketSession`` failed.
package enum WebSocketSessionError: Error, Sendable, Hashable, CustomStringConvertible {
    case timedOut

    package var description: String {
        switch self {
        case .timedOut: "Nothing received from the server in time"
        }
    }
}
