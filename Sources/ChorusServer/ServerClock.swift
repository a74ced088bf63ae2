package import NIOCore

/// The time that webhook delivery and the subscription-count throttle read, and the timers they
/// set. A server runs on ``EventLoopClock``; tests pass a clock they advance by hand, so no test of
/// a delay, timeout, retry or throttle depends on how busy the machine is.
///
/// Only time is injected, not the event loop: these timers run on loops that also do real I/O (the
/// webhook loop carries AsyncHTTPClient, the throttle runs on the connections' loops), which an
/// `EmbeddedEventLoop` cannot stand in for. The work still runs on the loop it belongs to.
package protocol ServerClock: Sendable {
    /// The current time.
    func now() -> NIODeadline

    /// Runs `work` on `eventLoop` once the clock reaches `deadline`.
    @discardableResult
    func schedule(
        at deadline: NIODeadline,
        on eventLoop: any EventLoop,
        _ work: @escaping @Sendable () -> Void
    ) -> Scheduled<Void>
}

/// Real time: `NIODeadline.now()` and the event loop's own timers.
package struct EventLoopClock: ServerClock {
    package init() {}

    package func now() -> NIODeadline { .now() }

    @discardableResult
    package func schedule(
        at deadline: NIODeadline,
        on eventLoop: any EventLoop,
        _ work: @escaping @Sendable () -> Void
    ) -> Scheduled<Void> {
        eventLoop.scheduleTask(deadline: deadline, work)
    }
}
