package import NIOCore

/// The frames a shard has broadcast recently, each held once and named by a sequence number.
///
/// Subscribers refer to frames by sequence, so queueing a frame for 10,000 subscribers stores
/// 10,000 integers and retains the buffer once. A frame is released when the ring needs its slot
/// or its byte budget; a subscriber still pointing at it then has fallen behind. A frame may come
/// with its `permessage-deflate` form, held beside it for the connections that take compression,
/// and with its protocol 2 form (`sockudo:` names) for the connections speaking Sockudo's protocol.
package struct FrameRing {
    package var frames: [ByteBuffer?]
    /// The compressed form of the frame at the same index, when it has one.
    package var compressedFrames: [ByteBuffer?]
    /// The protocol 2 form of the frame at the same index, when it differs.
    package var sockudoFrames: [ByteBuffer?]
    package var sizes: [Int]
    /// The sequence the next appended frame gets.
    package private(set) var nextSequence: UInt64 = 0
    /// The oldest sequence still held.
    package private(set) var oldestSequence: UInt64 = 0
    package private(set) var heldBytes = 0
    package let byteBudget: Int

    package init(capacity: Int, byteBudget: Int) {
        self.frames = Array(repeating: nil, count: capacity)
        self.compressedFrames = Array(repeating: nil, count: capacity)
        self.sockudoFrames = Array(repeating: nil, count: capacity)
        self.sizes = Array(repeating: 0, count: capacity)
        self.byteBudget = byteBudget
    }

    /// Holds `frame`, `compressed`, its compressed form, and `sockudo`, its protocol 2 form, if
    /// any; returns its sequence.
    package mutating func append(
        _ frame: ByteBuffer,
        compressed: ByteBuffer? = nil,
        sockudo: ByteBuffer? = nil
    ) -> UInt64 {
        let capacity = UInt64(frames.count)
        if nextSequence - oldestSequence == capacity { releaseOldest() }
        let size = frame.readableBytes + (compressed?.readableBytes ?? 0) + (sockudo?.readableBytes ?? 0)
        while heldBytes + size > byteBudget, oldestSequence < nextSequence { releaseOldest() }
        let index = Int(nextSequence % capacity)
        frames[index] = frame
        compressedFrames[index] = compressed
        sockudoFrames[index] = sockudo
        sizes[index] = size
        heldBytes += size
        nextSequence += 1
        return nextSequence - 1
    }

    /// The frame with `sequence` — its protocol 2 form when `sockudo` and it has one (protocol
    /// messages, which are small: never compressed), else its compressed form when `compressed`
    /// and it has one — or `nil` when it has been released.
    package func frame(_ sequence: UInt64, compressed: Bool = false, sockudo: Bool = false) -> ByteBuffer? {
        guard sequence >= oldestSequence, sequence < nextSequence else { return nil }
        let index = Int(sequence % UInt64(frames.count))
        if sockudo, let renamed = sockudoFrames[index] { return renamed }
        return compressed ? compressedFrames[index] ?? frames[index] : frames[index]
    }

    package mutating func releaseOldest() {
        let index = Int(oldestSequence % UInt64(frames.count))
        frames[index] = nil
        compressedFrames[index] = nil
        sockudoFrames[index] = nil
        heldBytes -= sizes[index]
        sizes[index] = 0
        oldestSequence += 1
    }

    /// Releases every frame no subscriber still needs: those before `sequence`.
    package mutating func release(before sequence: UInt64) {
        while oldestSequence < min(sequence, nextSequence) { releaseOldest() }
    }
}
