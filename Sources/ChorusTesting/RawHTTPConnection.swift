import Foundation
package import NIOCore
import NIOPosix

/// One plain TCP connection for byte-level HTTP tests (keep-alive, pipelining, oversized bodies)
/// that a well-behaved client library would not let a test write.
package struct RawHTTPConnection {
    package var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    package let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// Connects to 127.0.0.1:`port` and runs `body` with the connection, closing it afterwards.
    package static func with<T: Sendable>(
        port: Int,
        _ body: (inout RawHTTPConnection) async throws -> T
    ) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = RawHTTPConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&connection)
        }
    }

    package func send(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// Reads until `count` complete responses (head and `Content-Length` body) have arrived, or the
    /// server closes; returns each response's text.
    package mutating func receive(responses count: Int) async throws -> [String] {
        var text = ""
        var responses: [String] = []
        while responses.count < count {
            while let response = Self.firstResponse(in: &text) { responses.append(response) }
            guard responses.count < count else { break }
            guard let chunk = try await inbound.next() else { break }
            text += String(buffer: chunk)
        }
        return responses
    }

    /// Whether the server has closed the connection (after any bytes still unread).
    package mutating func isClosedByServer() async throws -> Bool {
        while try await inbound.next() != nil {}
        return true
    }

    private static func firstResponse(in text: inout String) -> String? {
        guard let headEnd = text.range(of: "\r\n\r\n") else { return nil }
        let head = text[..<headEnd.lowerBound].lowercased()
        let length =
            head.split(separator: "\r\n")
            .first { $0.hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingPrefix(" ")) } ?? 0
        let total = text.distance(from: text.startIndex, to: headEnd.upperBound) + length
        guard text.count >= total else { return nil }
        let end = text.index(text.startIndex, offsetBy: total)
        let response = String(text[..<end])
        text.removeSubrange(..<end)
        return response
    }
}
