import ChorusServer
package import NIOCore
import Synchronization

/// A ``ServerClock`` that stands still until the test moves it: ``advance(by:)`` runs the timers
/// that fall due, in deadline order, each on its event loop.
package final class ManualClock: ServerClock {
    private struct Timer {
        var deadline: NIODeadline
        var order: Int
        var eventLoop: any EventLoop
        var work: @Sendable () -> Void
        var promise: EventLoopPromise<Void>
    }

    private struct State {
        var now = NIODeadline.uptimeNanoseconds(1_000_000_000)
        var timers: [Int: Timer] = [:]
        var nextOrder = 0
    }

    private let state = Mutex(State())

    package init() {}

    package func now() -> NIODeadline { state.withLock { $0.now } }

    @discardableResult
    package func schedule(
        at deadline: NIODeadline,
        on eventLoop: any EventLoop,
        _ work: @escaping @Sendable () -> Void
    ) -> Scheduled<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        let order = state.withLock { state in
            defer { state.nextOrder += 1 }
            state.timers[state.nextOrder] = Timer(
                deadline: deadline,
                order: state.nextOrder,
                eventLoop: eventLoop,
                work: work,
                promise: promise
            )
            return state.nextOrder
        }
        return Scheduled(promise: promise) {
            self.state.withLock { $0.timers.removeValue(forKey: order) }?.promise.fail(EventLoopError.cancelled)
        }
    }

    /// Moves time forward by `amount` and runs every timer now due.
    package func advance(by amount: TimeAmount) {
        let due = state.withLock { state in
            state.now = state.now + amount
            let due = state.timers.values.filter { $0.deadline <= state.now }
                .sorted { ($0.deadline, $0.order) < ($1.deadline, $1.order) }
            for timer in due { state.timers[timer.order] = nil }
            return due
        }
        for timer in due {
            timer.eventLoop.execute {
                timer.work()
                timer.promise.succeed()
            }
        }
    }
}
