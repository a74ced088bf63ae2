import CompressNIO
public import NIOCore
import Synchronization

/// Compresses whole messages for `permessage-deflate`, each on its own (no context kept between
/// messages), so the result is valid for every connection that agreed to ``DeflateAgreement``.
///
/// Safe to call from any thread: it holds a few zlib streams, each behind its own lock, and a
/// caller takes whichever is free.
public final class MessageCompressor: Sendable {
    /// Payloads shorter than this are sent uncompressed (RSV1 clear): too small to gain.
    public static let minimumPayloadBytes = 1024

    /// One zlib stream behind its lock (a class: a `Mutex` cannot sit in an array).
    private final class Stream: Sendable {
        let compressor: Mutex<ZlibCompressor>

        init(_ compressor: consuming sending ZlibCompressor) {
            self.compressor = Mutex(compressor)
        }
    }

    private let streams: [Stream]

    /// Creates `streams` zlib deflate streams (about 256 KB each); throws if zlib cannot allocate them.
    public init(streams: Int = 4) throws {
        var made: [Stream] = []
        for _ in 0..<max(1, streams) {
            let compressor = try ZlibCompressor(
                algorithm: .deflate,
                configuration: ZlibConfiguration(windowSize: Int32(DeflateAgreement.windowBits))
            )
            made.append(Stream(compressor))
        }
        self.streams = made
    }

    /// The compressed form of `payload` as a `permessage-deflate` message body (the final
    /// `00 00 ff ff` of the sync flush removed), or `nil` when it is shorter than
    /// ``minimumPayloadBytes`` or would not shrink.
    public func compress(_ payload: ByteBuffer, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer? {
        guard payload.readableBytes >= Self.minimumPayloadBytes else { return nil }
        for stream in streams {
            if let result = stream.compressor.withLockIfAvailable({
                Self.compress(payload, with: $0, allocator: allocator)
            }) {
                return result
            }
        }
        return streams[0].compressor.withLock { Self.compress(payload, with: $0, allocator: allocator) }
    }

    private static func compress(
        _ payload: ByteBuffer,
        with compressor: ZlibCompressor,
        allocator: ByteBufferAllocator
    ) -> ByteBuffer? {
        var input = payload
        var output = allocator.buffer(capacity: compressor.maxSize(from: input))
        do {
            try compressor.reset()
            try compressor.deflate(from: &input, to: &output, flush: .sync)
        } catch {
            return nil
        }
        guard output.readableBytes >= 4, output.getBytes(at: output.writerIndex - 4, length: 4) == Self.syncTail else {
            return nil
        }
        output.moveWriterIndex(to: output.writerIndex - 4)
        return output.readableBytes < payload.readableBytes ? output : nil
    }

    /// The empty stored block a sync flush ends with; RFC 7692 leaves it out of each message.
    static let syncTail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]
}
