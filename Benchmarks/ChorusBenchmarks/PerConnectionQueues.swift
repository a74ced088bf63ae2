import NIOCore

/// The design the shard replaces, kept as a yardstick measured in the same run: each connection
/// its own object with a queue of frame references, so a broadcast retains the frame and stores it
/// once per subscriber, scattered over the heap.
final class PerConnectionQueues {
    final class Connection {
        var queue = CircularBuffer<ByteBuffer>(initialCapacity: 16)
    }

    let connections: [Connection]

    init(subscribers: Int) {
        connections = (0..<subscribers).map { _ in Connection() }
    }

    func enqueue(_ frame: ByteBuffer) {
        for connection in connections { connection.queue.append(frame) }
    }

    /// Empties every queue, keeping its capacity.
    func drain() {
        for connection in connections { connection.queue.removeAll(keepingCapacity: true) }
    }
}
