import AsyncHTTPClient
import ChorusProtocol
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Prometheus

/// Delivers one target's batches, one request at a time and in order: signs each body, retries
/// failures with backoff within the retry budget, then drops the batch, logged and counted.
///
/// Confined to the webhook event loop; the connections never wait for it.
final class WebhookTargetDelivery {
    private struct Pending {
        var events: [WebhookEvent]
        var body: [UInt8]?
        var firstAttempt: NIODeadline?
        var failures = 0
    }

    private let target: WebhookTarget
    private let appKey: String
    private let signer: WebhookSigner
    private let client: HTTPClient
    private let eventLoop: any EventLoop
    private let clock: any ServerClock
    private let settings: WebhookDeliverySettings
    private let retry: WebhookRetryPolicy
    private let metrics: ServerMetrics
    /// Shows each request's outcome in the debug console.
    private let console: ConsoleFeeds
    private let appID: String
    private let logger: Logger
    private var queue = CircularBuffer<Pending>()
    private var queuedEvents = 0
    /// A batch is being sent or waits for its retry.
    private var busy = false
    private var stopped = false
    /// A request is awaiting its answer.
    private(set) var requestInFlight = false

    init(
        target: WebhookTarget,
        app: AppConfiguration,
        client: HTTPClient,
        eventLoop: any EventLoop,
        clock: any ServerClock,
        metrics: ServerMetrics,
        console: ConsoleFeeds,
        logger: Logger
    ) {
        self.target = target
        self.console = console
        self.appID = app.id
        self.appKey = app.key
        self.signer = WebhookSigner(secret: app.secret)
        self.client = client
        self.eventLoop = eventLoop
        self.clock = clock
        self.settings = app.webhookDelivery
        self.retry = WebhookRetryPolicy(
            initialBackoff: .milliseconds(Int64(settings.retryBackoffMilliseconds)),
            budget: .milliseconds(Int64(settings.retryBudgetMilliseconds))
        )
        self.metrics = metrics
        var logger = logger
        logger[metadataKey: "webhook_url"] = .string(target.url)
        self.logger = logger
    }

    /// Queues the events of `batch` this target wants; drops them when its queue is full.
    func submit(_ batch: [WebhookEvent]) {
        guard !stopped else { return }
        let events = target.eventTypes == nil ? batch : batch.filter { target.accepts($0.kind) }
        guard !events.isEmpty else { return }
        guard queuedEvents + events.count <= settings.queueCapacity else {
            metrics.webhookEventsDroppedQueueFull.increment(by: Int64(events.count))
            logger.warning(
                "webhook queue full: dropping events",
                metadata: ["events": .stringConvertible(events.count)]
            )
            return
        }
        queue.append(Pending(events: events))
        queuedEvents += events.count
        sendNext()
    }

    /// Stops sending; queued batches are abandoned.
    func stop() {
        stopped = true
        queue.removeAll()
        queuedEvents = 0
    }

    private func sendNext() {
        guard !busy, !stopped, var pending = queue.first else { return }
        busy = true
        let now = clock.now()
        if pending.body == nil {
            pending.body = WebhookEvent.body(pending.events, timeMilliseconds: Self.unixMilliseconds())
            pending.firstAttempt = now
            queue[queue.startIndex] = pending
        }
        let request: HTTPClient.Request
        do {
            request = try makeRequest(body: pending.body ?? [])
        } catch {
            logger.error("webhook url is not usable: dropping events", metadata: ["error": "\(error)"])
            finish(dropped: true)
            return
        }
        // The timeout is a timer on the injected clock that cancels the request, rather than an
        // AsyncHTTPClient deadline, so that tests can make it pass without waiting.
        let task = client.execute(
            request: request,
            delegate: ResponseAccumulator(request: request),
            eventLoop: .delegate(on: eventLoop)
        )
        let timeout = clock.schedule(
            at: now + .milliseconds(Int64(settings.requestTimeoutMilliseconds)),
            on: eventLoop
        ) { task.cancel() }
        requestInFlight = true
        let loopBoundSelf = NIOLoopBound(self, eventLoop: eventLoop)
        task.futureResult
            .hop(to: eventLoop)
            .whenComplete { result in
                timeout.cancel()
                loopBoundSelf.value.requestInFlight = false
                switch result {
                case .success(let response) where (200..<300).contains(response.status.code):
                    loopBoundSelf.value.delivered(status: response.status.code)
                case .success(let response):
                    loopBoundSelf.value.failed(reason: "status \(response.status.code)")
                case .failure(let error):
                    loopBoundSelf.value.failed(reason: "\(error)")
                }
            }
    }

    private func makeRequest(body: [UInt8]) throws -> HTTPClient.Request {
        var headers = HTTPHeaders()
        for (name, value) in target.headers { headers.add(name: name, value: value) }
        headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        headers.replaceOrAdd(name: "X-Pusher-Key", value: appKey)
        headers.replaceOrAdd(name: "X-Pusher-Signature", value: signer.signature(for: body))
        return try HTTPClient.Request(url: target.url, method: .POST, headers: headers, body: .bytes(body))
    }

    private func delivered(status: UInt) {
        metrics.webhookRequestsDelivered.increment()
        show("delivered to \(target.url) (status \(status))")
        finish(dropped: false)
    }

    private func failed(reason: String) {
        guard !stopped, var pending = queue.first, let firstAttempt = pending.firstAttempt else { return }
        metrics.webhookRequestsFailed.increment()
        pending.failures += 1
        queue[queue.startIndex] = pending
        let now = clock.now()
        guard let delay = retry.delay(afterFailures: pending.failures, firstAttempt: firstAttempt, now: now) else {
            logger.warning(
                "webhook not delivered within the retry budget: dropping events",
                metadata: [
                    "reason": .string(reason), "attempts": .stringConvertible(pending.failures),
                    "events": .stringConvertible(pending.events.count),
                ]
            )
            show("dropped after \(pending.failures) attempts to \(target.url): \(reason)")
            finish(dropped: true)
            return
        }
        logger.debug("webhook attempt failed; retrying", metadata: ["reason": .string(reason), "delay": "\(delay)"])
        show("attempt \(pending.failures) to \(target.url) failed: \(reason); retrying")
        let loopBoundSelf = NIOLoopBound(self, eventLoop: eventLoop)
        clock.schedule(at: now + delay, on: eventLoop) {
            let delivery = loopBoundSelf.value
            delivery.busy = false
            delivery.sendNext()
        }
    }

    private func finish(dropped: Bool) {
        busy = false
        guard !stopped, let done = queue.popFirst() else { return }
        queuedEvents -= done.events.count
        if dropped { metrics.webhookEventsDroppedUndelivered.increment(by: Int64(done.events.count)) }
        sendNext()
    }

    /// Shows the outcome of the request in flight in the debug console, one entry per event.
    private func show(_ outcome: String) {
        guard let events = queue.first?.events else { return }
        console.record(appID: appID) {
            events.map { event in
                ConsoleEntry(
                    kind: .webhook,
                    channel: event.channel,
                    event: event.kind.rawValue,
                    detail: outcome,
                    data: event.event ?? event.userID ?? ""
                )
            }
        }
    }

    private static func unixMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
