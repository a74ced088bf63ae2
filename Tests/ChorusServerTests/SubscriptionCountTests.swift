import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import Testing

@Suite("Subscription counts")
struct SubscriptionCountTests {
    static func count(_ socket: PusherSocket, channel: String) async throws -> JSONValue? {
        try await socket.expect("pusher_internal:subscription_count", channel: channel).dataObject?[
            "subscription_count"
        ]
    }

    @Test("subscribers hear the count on every change, and a subscription_count webhook carries it")
    func broadcastAndWebhook() async throws {
        let receiver = try await WebhookReceiver.start()
        try await WebhookDeliveryTests.with(
            receiver,
            configure: { app in
                app.subscriptionCountEnabled = true
                app.webhooks[0].eventTypes = ["subscription_count"]
            }
        ) { server in
            let first = try await server.connect()
            try await WebhookDeliveryTests.subscribe(first, "room")
            #expect(try await Self.count(first, channel: "room") == 1)
            let second = try await server.connect()
            try await WebhookDeliveryTests.subscribe(second, "room")
            #expect(try await Self.count(second, channel: "room") == 2)
            #expect(try await Self.count(first, channel: "room") == 2)
            try await second.unsubscribe(channel: "room")
            #expect(try await Self.count(first, channel: "room") == 1)
            try await second.expectSilence(for: .milliseconds(100))

            let events = try await receiver.waitForEvents(3)
            #expect(events.map { $0["subscription_count"] } == [1, 2, 1])
            #expect(events.allSatisfy { $0["name"] == "subscription_count" && $0["channel"] == "room" })
            await first.close()
            await second.close()
        }
        await receiver.stop()
    }

    @Test("no subscription_count on presence channels, nor when the app does not enable it")
    func notSent() async throws {
        try await TestServer.with({ $0.apps[0].subscriptionCountEnabled = true }) { server in
            let (alice, _) = try await WebSocketPresenceTests.join(server, userID: "alice")
            try await alice.expectSilence(for: .milliseconds(200))
            await alice.close()
        }
        try await TestServer.with { server in
            let socket = try await server.connect()
            try await WebhookDeliveryTests.subscribe(socket, "room")
            try await socket.expectSilence(for: .milliseconds(200))
            await socket.close()
        }
    }
}
