import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import Testing

/// A receiver that never answers must not slow publishing: webhook delivery runs on its own loop
/// behind a bounded queue. The latencies are printed for the record, not asserted.
@Suite("Webhooks with a hung receiver")
struct WebhookHungReceiverTests {
    static let publishes = 200

    /// Publishes `publishes` events through the HTTP API while another connection keeps creating
    /// webhook events (a new channel per publish); returns each publish's latency from the
    /// request to the subscriber's receipt.
    static func measure(_ server: TestServer) async throws -> [Duration] {
        let subscriber = try await server.connect()
        let churn = try await server.connect()
        try await WebhookDeliveryTests.subscribe(subscriber, "ticks")
        let http = server.httpClient()
        var latencies: [Duration] = []
        for index in 0..<publishes {
            try await churn.subscribe(channel: "churn-\(index)")
            let start = ContinuousClock.now
            let response = try await http.trigger(
                appID: server.app.id,
                name: "tick",
                channels: ["ticks"],
                data: String(index)
            )
            #expect(response.status == .ok)
            let tick = try await subscriber.expect("tick", channel: "ticks")
            latencies.append(ContinuousClock.now - start)
            #expect(tick.data == .string(String(index)))
        }
        await http.shutdown()
        await subscriber.close()
        await churn.close()
        return latencies
    }

    static func summary(_ latencies: [Duration]) -> String {
        let sorted = latencies.sorted()
        func at(_ quantile: Double) -> String {
            let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * quantile))]
            return "\(value.components.seconds * 1_000_000 + value.components.attoseconds / 1_000_000_000_000) us"
        }
        return "p50 \(at(0.5)), p90 \(at(0.9)), p99 \(at(0.99)), max \(at(1.0))"
    }

    @Test("publishing goes on at the same pace while the webhook receiver hangs; the queue stays bounded")
    func hungReceiverDoesNotSlowPublishing() async throws {
        let baseline = try await TestServer.with { try await Self.measure($0) }

        let receiver = try await WebhookReceiver.start(fallback: .hang)
        let (hung, metrics) = try await WebhookDeliveryTests.with(
            receiver,
            configure: { app in
                app.webhookDelivery.requestTimeoutMilliseconds = 60_000
                app.webhookDelivery.queueCapacity = 50
            }
        ) { server in
            let latencies = try await Self.measure(server)
            return (latencies, try await WebhookMetrics.read(server))
        }
        await receiver.stop()

        print("publish latency without webhooks:        \(Self.summary(baseline))")
        print("publish latency with a hung receiver:     \(Self.summary(hung))")
        print(
            "webhook requests sent to the hung receiver: \(receiver.requests.count), events dropped (queue full): \(metrics.droppedQueueFull)"
        )
        #expect(hung.count == Self.publishes)
        #expect(receiver.requests.count == 1)
        #expect(metrics.droppedQueueFull > 0)
    }
}
