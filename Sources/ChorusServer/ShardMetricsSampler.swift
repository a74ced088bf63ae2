import ChorusCore
import NIOCore
import Prometheus

/// Copies every shard's counters into the Prometheus registry once per interval, on the shard's own
/// event loop, so the fan-out path itself never touches a metric: subscriptions, frames and bytes
/// written to sockets, and what the slow-consumer policy dropped or closed.
enum ShardMetricsSampler {
    /// Starts one repeated task per shard; they run until the event loops shut down.
    static func start(broadcaster: Broadcaster, metrics: ServerMetrics, interval: TimeAmount = .seconds(1)) {
        let registry = metrics.registry
        let subscriptions = MetricNameDescriptor.chorus("subscriptions", help: "Channel subscriptions, by shard")
        let frames = MetricNameDescriptor.chorus(
            "ws_frames_sent_total",
            help: "WebSocket frames written to clients, by shard"
        )
        let bytes = MetricNameDescriptor.chorus(
            "ws_bytes_sent_total",
            help: "WebSocket bytes written to clients, by shard"
        )
        let dropped = MetricNameDescriptor.chorus(
            "slow_consumer_dropped_frames_total",
            help: "Frames dropped for subscribers that fell behind (drop_oldest policy), by shard"
        )
        let compressing = registry.makeGauge(
            descriptor: .chorus(
                "ws_deflate_connections",
                help: "WebSocket connections that negotiated permessage-deflate"
            )
        )
        let compression = broadcaster.compression
        broadcaster.shards[0].eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            compressing.set(Int64(compression.connectionCount))
        }
        for (index, shard) in broadcaster.shards.enumerated() {
            let labels = [("shard", String(index))]
            let subscriptionGauge = registry.makeGauge(descriptor: subscriptions, labels: labels)
            let frameCounter = registry.makeCounter(descriptor: frames, labels: labels)
            let byteCounter = registry.makeCounter(descriptor: bytes, labels: labels)
            let droppedCounter = registry.makeCounter(descriptor: dropped, labels: labels)
            let closedCounter = metrics.slowConsumersClosed
            let previous = NIOLoopBoundBox.makeBoxSendingValue(ShardStatistics(), eventLoop: shard.eventLoop)
            shard.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                let now = shard.value.statistics
                let before = previous.value
                subscriptionGauge.set(Int64(now.subscriptions))
                frameCounter.increment(by: Int64(now.framesWritten - before.framesWritten))
                byteCounter.increment(by: Int64(now.bytesWritten - before.bytesWritten))
                droppedCounter.increment(by: Int64(now.droppedFrames - before.droppedFrames))
                closedCounter.increment(by: Int64(now.slowConsumersClosed - before.slowConsumersClosed))
                previous.value = now
            }
        }
    }
}
