import NIOHTTP1
package import Prometheus

/// The server's Prometheus metrics, one registry per server instance (so tests can run several).
package struct ServerMetrics: Sendable {
    package let registry: PrometheusCollectorRegistry
    let connections: Gauge
    let connectionsTotal: Counter
    let messagesReceived: Counter
    let bytesReceived: Counter
    let clientEventsRelayed: Counter
    let slowConsumersClosed: Counter
    /// Event frames the HTTP API handed to the engine (one per event per channel).
    let apiEventsPublished: Counter
    /// Time from an API request's last byte to its events being queued on every shard.
    let publishToEnqueue: DurationHistogram
    /// Webhook events handed over for delivery.
    let webhookEventsQueued: Counter
    /// Webhook events dropped because their app's (or target's) queue was full.
    let webhookEventsDroppedQueueFull: Counter
    /// Webhook events dropped because their request still failed when the retry budget ran out.
    let webhookEventsDroppedUndelivered: Counter
    /// Webhook requests answered with a 2xx status.
    let webhookRequestsDelivered: Counter
    /// Webhook attempts that failed (non-2xx, timeout, connection error).
    let webhookRequestsFailed: Counter

    package init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        connections = registry.makeGauge(descriptor: .chorus("connections", help: "Open WebSocket connections"))
        connectionsTotal = registry.makeCounter(
            descriptor: .chorus("connections_total", help: "WebSocket connections accepted")
        )
        messagesReceived = registry.makeCounter(
            descriptor: .chorus("ws_messages_received_total", help: "WebSocket messages received from clients")
        )
        bytesReceived = registry.makeCounter(
            descriptor: .chorus("ws_bytes_received_total", help: "WebSocket payload bytes received from clients")
        )
        clientEventsRelayed = registry.makeCounter(
            descriptor: .chorus("client_events_total", help: "Client events relayed to other subscribers")
        )
        slowConsumersClosed = registry.makeCounter(
            descriptor: .chorus(
                "slow_consumers_closed_total",
                help: "Connections closed with 4100 because they fell behind"
            )
        )
        apiEventsPublished = registry.makeCounter(
            descriptor: .chorus(
                "api_events_published_total",
                help: "Event frames published through the HTTP API (events x channels)"
            )
        )
        publishToEnqueue = registry.makeDurationHistogram(
            descriptor: .chorus(
                "publish_to_enqueue_seconds",
                help: "From an API request's last byte to its events queued on every shard"
            ),
            buckets: [
                .microseconds(10), .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250),
                .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10),
                .milliseconds(25), .milliseconds(100),
            ]
        )
        webhookEventsQueued = registry.makeCounter(
            descriptor: .chorus("webhook_events_queued_total", help: "Webhook events handed over for delivery")
        )
        let dropped = MetricNameDescriptor.chorus(
            "webhook_events_dropped_total",
            help: "Webhook events dropped, by reason"
        )
        webhookEventsDroppedQueueFull = registry.makeCounter(descriptor: dropped, labels: [("reason", "queue_full")])
        webhookEventsDroppedUndelivered = registry.makeCounter(
            descriptor: dropped,
            labels: [("reason", "retries_exhausted")]
        )
        let requests = MetricNameDescriptor.chorus(
            "webhook_requests_total",
            help: "Webhook request attempts, by outcome"
        )
        webhookRequestsDelivered = registry.makeCounter(descriptor: requests, labels: [("outcome", "delivered")])
        webhookRequestsFailed = registry.makeCounter(descriptor: requests, labels: [("outcome", "failed")])
    }

    /// Counts one HTTP request by route (a pattern, never a raw path) and status code.
    func recordHTTPRequest(route: String, status: HTTPResponseStatus) {
        registry.makeCounter(
            descriptor: .chorus("http_requests_total", help: "HTTP requests by route and status"),
            labels: [("route", route), ("status", String(status.code))]
        ).increment()
    }

    /// One app's daily message quota figures (`max_messages_per_day`), created on first use.
    struct QuotaMetrics: Sendable {
        /// Messages counted today (UTC), this node's view: its own count plus the store's total
        /// at its last flush.
        let messagesToday: Gauge
        /// The app's `max_messages_per_day`.
        let limit: Gauge
        /// API publishes refused with `quota_exceeded`.
        let refusals: Counter
    }

    /// The quota figures of `appID`, labelled `app_id`.
    func quota(appID: String) -> QuotaMetrics {
        let labels = [("app_id", appID)]
        return QuotaMetrics(
            messagesToday: registry.makeGauge(
                descriptor: .chorus("app_messages_today", help: "Messages counted against the daily quota today (UTC)"),
                labels: labels
            ),
            limit: registry.makeGauge(
                descriptor: .chorus("app_messages_per_day_limit", help: "The app's max_messages_per_day"),
                labels: labels
            ),
            refusals: registry.makeCounter(
                descriptor: .chorus(
                    "quota_refusals_total",
                    help: "API publishes refused because the app's daily message quota was used up"
                ),
                labels: labels
            )
        )
    }

    /// The metrics in Prometheus text format.
    package func render() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}

extension MetricNameDescriptor {
    /// A metric named `chorus_<name>`.
    static func chorus(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "chorus", subsystem: "", metricName: name, unitName: "", helpText: help)
    }
}
