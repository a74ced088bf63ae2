import CompressNIO
public import NIOCore

/// Inflates `permessage-deflate` client messages, one at a time and each on its own (the server
/// asks clients for `client_no_context_takeover`), never producing more than a cap.
///
/// Not thread-safe: keep one per event loop. Output grows only as the message really inflates, so
/// a small message costs a small buffer, and a zip bomb stops at the cap.
public final class MessageInflater {
    /// Why a message could not be inflated.
    public enum Failure: Error, Hashable {
        /// It inflates to more than the cap (close 1009).
        case tooLarge
        /// It is not valid deflate data (close 1007).
        case corrupt
    }

    private let decompressor: ZlibDecompressor

    /// Throws if zlib cannot allocate its stream.
    public init() throws {
        decompressor = try ZlibDecompressor(algorithm: .deflate, windowSize: Int32(DeflateAgreement.windowBits))
    }

    /// The inflated form of one message's compressed payload, at most `maxBytes` long.
    public func inflate(
        _ compressed: ByteBuffer,
        maxBytes: Int,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws(Failure) -> ByteBuffer {
        var input = allocator.buffer(capacity: compressed.readableBytes + 4)
        input.writeImmutableBuffer(compressed)
        input.writeBytes(MessageCompressor.syncTail)
        // One byte more than the cap tells "exactly the cap" from "over it".
        let limit = maxBytes + 1
        var output = allocator.buffer(capacity: min(limit, max(256, compressed.readableBytes * 4)))
        defer { try? decompressor.reset() }
        while true {
            do {
                try decompressor.inflate(from: &input, to: &output)
                break
            } catch let error as CompressNIOError where error == .bufferOverflow {
                guard output.capacity < limit else { throw .tooLarge }
                output.reserveCapacity(min(limit, output.capacity * 2))
            } catch let error as CompressNIOError where error == .inputBufferOverflow {
                break  // every byte given was inflated: the message is complete
            } catch {
                throw .corrupt
            }
        }
        guard output.readableBytes <= maxBytes else { throw .tooLarge }
        return output
    }
}
