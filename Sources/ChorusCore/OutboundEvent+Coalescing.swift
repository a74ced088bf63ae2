import NIOCore

extension OutboundEvent {
    /// `events` with each run of consecutive plain events for the same channel (same exclusion, no
    /// tags, no delta frames, not a protocol message) joined into one event whose frame
    /// is the run's frames back to back.
    ///
    /// Every subscriber of that channel takes the whole run, so the shard queues one frame per
    /// subscriber and the socket gets one buffer per batch instead of one per event. The joined
    /// buffer is built once per publish, not per subscriber; order is unchanged. When some of the
    /// run's frames have a compressed form, the joined event has one too: each frame's compressed
    /// form, or the frame itself where it has none.
    package static func coalescing(_ events: [OutboundEvent]) -> [OutboundEvent] {
        guard events.count > 1 else { return events }
        var result: [OutboundEvent] = []
        result.reserveCapacity(events.count)
        var runStart = 0
        for index in 1...events.count {
            if index < events.count, events[index].joins(events[runStart]) { continue }
            result.append(joined(events[runStart..<index]))
            runStart = index
        }
        return result
    }

    private var isPlain: Bool { tags == nil && delta == nil && presenceVersion == nil && sockudoFrame == nil }

    private func joins(_ first: OutboundEvent) -> Bool {
        isPlain && first.isPlain && key == first.key && excluding == first.excluding
    }

    private static func joined(_ run: ArraySlice<OutboundEvent>) -> OutboundEvent {
        var event = run[run.startIndex]
        guard run.count > 1 else { return event }
        var frame = ByteBufferAllocator().buffer(capacity: run.reduce(0) { $0 + $1.frame.readableBytes })
        for part in run { frame.writeImmutableBuffer(part.frame) }
        event.frame = frame
        if run.contains(where: { $0.compressed != nil }) {
            var compressed = ByteBufferAllocator().buffer(
                capacity: run.reduce(0) { $0 + ($1.compressed ?? $1.frame).readableBytes }
            )
            for part in run { compressed.writeImmutableBuffer(part.compressed ?? part.frame) }
            event.compressed = compressed
        }
        return event
    }
}
