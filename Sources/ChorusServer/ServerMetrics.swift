public import Prometheus

/// The server's Prometheus metrics, one registry per server instance (so tests can run several).
public struct ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let connections: Gauge
    let connectionsTotal: Counter
    let messagesReceived: Counter
    let bytesReceived: Counter
    let clientEventsRelayed: Counter
    let slowConsumersClosed: Counter

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        connections = registry.makeGauge(descriptor: .chorus("connections", help: "Open WebSocket connections"))
        connectionsTotal = registry.makeCounter(descriptor: .chorus("connections_total", help: "WebSocket connections accepted"))
        messagesReceived = registry.makeCounter(descriptor: .chorus("ws_messages_received_total", help: "WebSocket messages received from clients"))
        bytesReceived = registry.makeCounter(descriptor: .chorus("ws_bytes_received_total", help: "WebSocket payload bytes received from clients"))
        clientEventsRelayed = registry.makeCounter(descriptor: .chorus("client_events_total", help: "Client events relayed to other subscribers"))
        slowConsumersClosed = registry.makeCounter(descriptor: .chorus("slow_consumers_closed_total", help: "Connections closed with 4100 because they fell behind"))
    }

    /// The metrics in Prometheus text format.
    public func render() -> [UInt8] {
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
