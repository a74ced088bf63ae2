import NIOCore
import Prometheus

/// One app's webhooks on the webhook event loop: batches and holds events (``WebhookBatcher``),
/// wakes up when a batch is due, and hands each batch to every target.
final class WebhookWorker {
    private let eventLoop: any EventLoop
    private let clock: any ServerClock
    private var batcher: WebhookBatcher
    private let targets: [WebhookTargetDelivery]
    private var timer: (deadline: NIODeadline, task: Scheduled<Void>)?
    private var stopped = false
    /// Events batched or held at most; beyond it new events are dropped.
    private let capacity: Int
    private let metrics: ServerMetrics

    init(
        eventLoop: any EventLoop,
        clock: any ServerClock,
        settings: WebhookDeliverySettings,
        targets: [WebhookTargetDelivery],
        metrics: ServerMetrics
    ) {
        self.eventLoop = eventLoop
        self.clock = clock
        self.capacity = settings.queueCapacity
        self.metrics = metrics
        self.batcher = WebhookBatcher(
            batchWindow: .milliseconds(Int64(settings.batchWindowMilliseconds)),
            vacateDelay: .milliseconds(Int64(settings.vacateDelayMilliseconds))
        )
        self.targets = targets
    }

    /// Takes events handed over by connections, in the order they were handed over.
    func receive(_ events: [WebhookEvent]) {
        guard !stopped else { return }
        let now = clock.now()
        for event in events {
            guard batcher.pendingCount < capacity else {
                metrics.webhookEventsDroppedQueueFull.increment()
                continue
            }
            batcher.add(event, now: now)
        }
        release(now: now)
    }

    /// Whether a request to any target is awaiting its answer.
    var hasRequestInFlight: Bool { targets.contains { $0.requestInFlight } }

    /// Stops timers and deliveries; pending events are abandoned.
    func stop() {
        stopped = true
        timer?.task.cancel()
        timer = nil
        for target in targets { target.stop() }
    }

    private func release(now: NIODeadline) {
        while true {
            let batch = batcher.takeDue(now: now)
            guard !batch.isEmpty else { break }
            for target in targets { target.submit(batch) }
        }
        scheduleWakeUp()
    }

    private func scheduleWakeUp() {
        guard let next = batcher.nextDeadline else { return }
        if let timer {
            guard next < timer.deadline else { return }
            timer.task.cancel()
        }
        let loopBoundSelf = NIOLoopBound(self, eventLoop: eventLoop)
        let task = clock.schedule(at: next, on: eventLoop) {
            let worker = loopBoundSelf.value
            worker.timer = nil
            guard !worker.stopped else { return }
            worker.release(now: worker.clock.now())
        }
        timer = (next, task)
    }
}
