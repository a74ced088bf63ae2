import Logging
import NIOCore
import Prometheus
import Synchronization

/// The hand-over of one app's webhook events from the connections' event loops to the webhook
/// loop: appending takes a short lock and never waits; a full queue drops the event and counts it.
/// The webhook loop is woken once per handful of events, not once per event.
final class WebhookQueue: Sendable {
    private struct State {
        var events: [WebhookEvent] = []
        var drainScheduled = false
        /// Set by a drop, cleared by the next accepted event: one warning per run of drops.
        var dropping = false
        /// The webhook loop is gone or going (server shutdown): events are ignored.
        var stopped = false
    }

    private enum Outcome {
        case accepted(wake: Bool)
        case dropped(firstOfRun: Bool)
        case ignored
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let eventLoop: any EventLoop
    private let worker: NIOLoopBound<WebhookWorker>
    private let metrics: ServerMetrics
    private let logger: Logger

    init(capacity: Int, worker: NIOLoopBound<WebhookWorker>, metrics: ServerMetrics, logger: Logger) {
        self.capacity = capacity
        self.eventLoop = worker.eventLoop
        self.worker = worker
        self.metrics = metrics
        self.logger = logger
    }

    /// Queues `event` unless the queue is full.
    func enqueue(_ event: WebhookEvent) {
        let outcome = state.withLock { state -> Outcome in
            guard !state.stopped else { return .ignored }
            guard state.events.count < capacity else {
                defer { state.dropping = true }
                return .dropped(firstOfRun: !state.dropping)
            }
            state.dropping = false
            state.events.append(event)
            defer { state.drainScheduled = true }
            return .accepted(wake: !state.drainScheduled)
        }
        switch outcome {
        case .accepted(let wake):
            metrics.webhookEventsQueued.increment()
            if wake { eventLoop.execute { self.drain() } }
        case .dropped(let firstOfRun):
            metrics.webhookEventsDroppedQueueFull.increment()
            if firstOfRun { logger.warning("webhook queue full: dropping events until it drains") }
        case .ignored:
            break
        }
    }

    private func drain() {
        let events = state.withLock { state -> [WebhookEvent] in
            state.drainScheduled = false
            defer { state.events.removeAll(keepingCapacity: true) }
            return state.events
        }
        worker.value.receive(events)
    }

    /// Whether every event handed over so far has reached the worker and no request is in flight.
    func isAtRest() async -> Bool {
        let atRest = eventLoop.submit {
            self.state.withLock { $0.events.isEmpty } && !self.worker.value.hasRequestInFlight
        }
        return (try? await atRest.get()) ?? true
    }

    /// Stops taking events and stops the worker on its loop.
    func stop() async {
        state.withLock { $0.stopped = true }
        try? await eventLoop.submit { self.worker.value.stop() }.get()
    }
}
