import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import Testing

@Suite("Fan-out metrics")
struct ShardMetricsTests {
    /// The value of `name{labels}` lines summed over shards, from the Prometheus text.
    static func total(_ name: String, in text: String) -> Double {
        text.split(separator: "\n")
            .filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0, +)
    }

    @Test("/metrics reports subscriptions and the frames and bytes written to subscribers")
    func fanOutCounters() async throws {
        try await TestServer.with { server in
            var sockets: [PusherSocket] = []
            for _ in 0..<3 {
                let socket = try await server.connect()
                try await socket.subscribe(channel: "metered")
                try await socket.expect("pusher_internal:subscription_succeeded")
                sockets.append(socket)
            }
            let http = server.httpClient()
            _ = try await http.trigger(appID: server.app.id, name: "tick", channels: ["metered"], data: "1")
            for socket in sockets { try await socket.expect("tick") }

            let metricsHTTP = server.metricsClient()
            var text = ""
            try await eventually("the shard metrics sampled") {
                text = try await metricsHTTP.request(method: .GET, path: "/metrics", signing: .none).bodyText
                return Self.total("chorus_subscriptions", in: text) >= 3
                    && Self.total("chorus_ws_frames_sent_total", in: text) >= 9
            }
            #expect(Self.total("chorus_subscriptions", in: text) == 3)
            // connection_established + subscription_succeeded + tick, per socket
            #expect(Self.total("chorus_ws_frames_sent_total", in: text) >= 9)
            #expect(Self.total("chorus_ws_bytes_sent_total", in: text) > 9 * 20)
            await metricsHTTP.shutdown()
            await http.shutdown()
            for socket in sockets { await socket.close() }
        }
    }
}
