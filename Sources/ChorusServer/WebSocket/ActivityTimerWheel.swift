package import NIOCore

/// The activity checks of one event loop's connections: a wheel of short buckets turned by one
/// repeating task, instead of one scheduled task (a closure, a promise and a heap entry) per
/// connection.
///
/// Connections are kept by their broadcast-shard slot. Time is the event loop's, so a test
/// turns the wheel by advancing an `EmbeddedEventLoop`. A check fires at most two
/// ``resolution``s after its deadline, which is far below the seconds that activity and pong
/// timeouts are counted in. Confined to its event loop, like the shard.
package final class ActivityTimerWheel<Connection: ActivityDeadlineOwner> {
    /// How finely deadlines are told apart.
    package static var resolution: TimeAmount { .milliseconds(250) }
    /// Buckets in the wheel: deadlines further ahead than this many resolutions wait another turn.
    private static var bucketCount: Int { 512 }

    private let eventLoop: any EventLoop
    private var buckets: [[UInt32]] = Array(repeating: [], count: bucketCount)
    private var handlers: [Connection?] = []
    private var deadlines: [NIODeadline] = []
    /// The last tick whose bucket was swept.
    private var sweptTick: Int64
    private var task: RepeatedTask?

    package init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        self.sweptTick = Self.tick(of: eventLoop.now) - 1
    }

    /// Calls `handler.activityCheckDue()` once `deadline` has passed, replacing any earlier
    /// deadline of `slot`.
    package func schedule(_ handler: Connection, slot: UInt32, at deadline: NIODeadline) {
        let index = Int(slot)
        if index >= handlers.count {
            handlers.append(contentsOf: repeatElement(nil, count: index + 1 - handlers.count))
            deadlines.append(contentsOf: repeatElement(.distantFuture, count: index + 1 - deadlines.count))
        }
        handlers[index] = handler
        deadlines[index] = deadline
        insert(slot, at: deadline)
        if task == nil { start() }
    }

    /// Forgets `slot`'s deadline and connection (it closed).
    package func cancel(slot: UInt32) {
        let index = Int(slot)
        guard index < handlers.count else { return }
        handlers[index] = nil
        deadlines[index] = .distantFuture
    }

    private func start() {
        let wheel = NIOLoopBound(self, eventLoop: eventLoop)
        task = eventLoop.scheduleRepeatedTask(initialDelay: Self.resolution, delay: Self.resolution) { _ in
            wheel.value.sweep(now: wheel.value.eventLoop.now)
        }
    }

    private static func tick(of deadline: NIODeadline) -> Int64 {
        Int64(deadline.uptimeNanoseconds / UInt64(resolution.nanoseconds))
    }

    private func insert(_ slot: UInt32, at deadline: NIODeadline) {
        buckets[Int(Self.tick(of: deadline) % Int64(Self.bucketCount))].append(slot)
    }

    /// Sweeps every bucket whose whole time span has passed, firing the deadlines that are due.
    private func sweep(now: NIODeadline) {
        let lastWholeTick = Self.tick(of: now) - 1
        while sweptTick < lastWholeTick {
            sweptTick += 1
            let bucket = Int(sweptTick % Int64(Self.bucketCount))
            let slots = buckets[bucket]
            buckets[bucket] = []
            for slot in slots { fireIfDue(slot, now: now) }
        }
    }

    private func fireIfDue(_ slot: UInt32, now: NIODeadline) {
        let index = Int(slot)
        guard let handler = handlers[index], deadlines[index] != .distantFuture else { return }
        guard deadlines[index] <= now else {
            insert(slot, at: deadlines[index])  // a later turn of the wheel
            return
        }
        deadlines[index] = .distantFuture
        handler.activityCheckDue()
    }
}

@available(*, unavailable)
extension ActivityTimerWheel: Sendable {}

/// A connection with an activity deadline.
package protocol ActivityDeadlineOwner: AnyObject, SendableMetatype {
    /// The deadline given to ``ActivityTimerWheel/schedule(_:slot:at:)`` has passed.
    func activityCheckDue()
}
