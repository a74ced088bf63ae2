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
        let (accepted, wake) = state.withLock { state -> (Bool, Bool) in
            guard state.events.count < capacity else { return (false, false) }
            state.events.append(event)
            let wake = !state.drainScheduled
            state.drainScheduled = true
            return (true, wake)
        }
        guard accepted else {
            metrics.webhookEventsDroppedQueueFull.increment()
            logger.warning("webhook queue full: dropping event", metadata: ["event": .string(event.kind.rawValue)])
            return
        }
        metrics.webhookEventsQueued.increment()
        if wake {
            eventLoop.execute { self.drain() }
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

    /// Stops the worker on its loop.
    func stop() async {
        try? await eventLoop.submit { self.worker.value.stop() }.get()
    }
}
