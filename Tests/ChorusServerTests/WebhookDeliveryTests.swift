import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import Testing

/// Live webhook delivery: a real server, real clients and a real HTTP receiver on 127.0.0.1.
@Suite("Webhook delivery")
struct WebhookDeliveryTests {
    /// Short times so nothing waits long: 20 ms batches, 200 ms vacate delay, 50 ms first backoff.
    static func fastDelivery() -> WebhookDeliverySettings {
        var settings = WebhookDeliverySettings()
        settings.batchWindowMilliseconds = 20
        settings.vacateDelayMilliseconds = 200
        settings.retryBackoffMilliseconds = 50
        settings.retryBudgetMilliseconds = 2000
        settings.requestTimeoutMilliseconds = 1000
        return settings
    }

    /// A server whose first app sends every webhook to `receiver` (with a custom header).
    static func with<T: Sendable>(
        _ receiver: WebhookReceiver,
        configure: @escaping (inout AppConfiguration) -> Void = { _ in },
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        try await TestServer.with(
            { configuration in
                configuration.apps[0].webhooks = [WebhookTarget(url: receiver.url, headers: ["X-Test": "chorus"])]
                configuration.apps[0].webhookDelivery = fastDelivery()
                configure(&configuration.apps[0])
            },
            body
        )
    }

    /// The same on a manual clock: batch windows, departure delays, timeouts and retries pass only
    /// when the test advances it.
    static func onManualClock<T: Sendable>(
        _ receiver: WebhookReceiver,
        configure: @escaping (inout AppConfiguration) -> Void = { _ in },
        _ body: (WebhookHarness) async throws -> T
    ) async throws -> T {
        let clock = ManualClock()
        return try await TestServer.with(
            { configuration in
                configuration.apps[0].webhooks = [WebhookTarget(url: receiver.url, headers: ["X-Test": "chorus"])]
                configuration.apps[0].webhookDelivery = fastDelivery()
                configure(&configuration.apps[0])
            },
            clock: clock
        ) { server in try await body(WebhookHarness(server: server, clock: clock)) }
    }

    static func subscribe(_ socket: PusherSocket, _ channel: String) async throws {
        try await socket.subscribe(channel: channel)
        try await socket.expect("pusher_internal:subscription_succeeded", channel: channel)
    }

    @Test("channel_occupied, then channel_vacated after the delay, signed with the app's key and secret")
    func occupiedAndVacated() async throws {
        let receiver = try await WebhookReceiver.start()
        try await Self.onManualClock(receiver) { webhooks in
            let server = webhooks.server
            let socket = try await server.connect()
            try await Self.subscribe(socket, "news")
            try await webhooks.handedOver(1)
            #expect(receiver.requests.isEmpty, "the batch window has not passed")
            webhooks.clock.advance(by: .milliseconds(20))
            let first = try await receiver.waitForRequests(1)[0]
            #expect(first.events == [["name": "channel_occupied", "channel": "news"]])
            #expect(first.headers["X-Pusher-Key"] == [server.app.key])
            #expect(
                first.headers["X-Pusher-Signature"] == [
                    WebhookSigner(secret: server.app.secret).signature(for: first.body)
                ]
            )
            #expect(first.headers["X-Test"] == ["chorus"])
            #expect(first.headers["Content-Type"] == ["application/json"])
            let timeMilliseconds = try #require(first.json["time_ms"]?.intValue)
            #expect(timeMilliseconds > 1_600_000_000_000)

            try await socket.unsubscribe(channel: "news")
            try await webhooks.handedOver(2)
            webhooks.clock.advance(by: .milliseconds(199))
            try await webhooks.atRest()
            #expect(receiver.requests.count == 1, "channel_vacated waits the whole delay")
            webhooks.clock.advance(by: .milliseconds(1))
            let second = try await receiver.waitForRequests(2)[1]
            #expect(second.events == [["name": "channel_vacated", "channel": "news"]])
            await socket.close()
        }
        await receiver.stop()
    }
    @Test("a channel emptied and re-joined within the delay sends neither vacated nor occupied")
    func quickRejoinSuppressed() async throws {
        let receiver = try await WebhookReceiver.start()
        try await Self.onManualClock(receiver) { webhooks in
            let socket = try await webhooks.server.connect()
            try await Self.subscribe(socket, "news")
            try await webhooks.handedOver(1)
            webhooks.clock.advance(by: .milliseconds(20))
            try await receiver.waitForRequests(1)
            try await socket.unsubscribe(channel: "news")
            try await Self.subscribe(socket, "news")
            try await webhooks.handedOver(3)
            webhooks.clock.advance(by: .milliseconds(500))
            try await webhooks.atRest()
            #expect(receiver.requests.count == 1)

            try await socket.unsubscribe(channel: "news")
            try await webhooks.handedOver(4)
            webhooks.clock.advance(by: .milliseconds(200))
            let requests = try await receiver.waitForRequests(2)
            #expect(requests.map(\.eventNames) == [["channel_occupied"], ["channel_vacated"]])
            await socket.close()
        }
        await receiver.stop()
    }
    @Test("presence: member_added with channel_occupied in one batch; member_removed delayed and suppressed on return")
    func presenceMembers() async throws {
        let receiver = try await WebhookReceiver.start()
        try await Self.onManualClock(receiver) { webhooks in
            let server = webhooks.server
            let (alice, _) = try await WebSocketPresenceTests.join(server, userID: "alice")
            try await webhooks.handedOver(2)
            webhooks.clock.advance(by: .milliseconds(20))
            let first = try await receiver.waitForRequests(1)[0]
            #expect(
                first.events == [
                    ["name": "channel_occupied", "channel": "presence-room"],
                    ["name": "member_added", "channel": "presence-room", "user_id": "alice"],
                ]
            )
            let (bob, _) = try await WebSocketPresenceTests.join(server, userID: "bob")
            try await webhooks.handedOver(3)
            webhooks.clock.advance(by: .milliseconds(20))
            let afterBob = try await receiver.waitForEvents(3)
            #expect(afterBob.last == ["name": "member_added", "channel": "presence-room", "user_id": "bob"])

            await bob.close()
            try await webhooks.handedOver(4)
            let (bobAgain, _) = try await WebSocketPresenceTests.join(server, userID: "bob")
            try await webhooks.handedOver(5)
            webhooks.clock.advance(by: .milliseconds(500))
            try await webhooks.atRest()
            #expect(receiver.events.count == 3)

            await bobAgain.close()
            try await webhooks.handedOver(6)
            webhooks.clock.advance(by: .milliseconds(200))
            let events = try await receiver.waitForEvents(4)
            #expect(events.last == ["name": "member_removed", "channel": "presence-room", "user_id": "bob"])
            await alice.close()
            try await webhooks.handedOver(8)
            webhooks.clock.advance(by: .milliseconds(200))
            let all = try await receiver.waitForEvents(6)
            #expect(
                Set(all.suffix(2)) == [
                    ["name": "member_removed", "channel": "presence-room", "user_id": "alice"],
                    ["name": "channel_vacated", "channel": "presence-room"],
                ]
            )
        }
        await receiver.stop()
    }
    @Test("client_event carries channel, event, data as text, socket_id and, on presence, user_id")
    func clientEvent() async throws {
        let receiver = try await WebhookReceiver.start()
        try await Self.with(receiver, configure: { $0.webhooks[0].eventTypes = ["client_event"] }) { server in
            let (sender, receiverSocket) = try await WebSocketClientEventTests.pair(server)
            try await sender.send(PusherMessage(event: "client-typing", channel: "private-chat", data: ["who": "me"]))
            try await receiverSocket.expect("client-typing")
            let event = try await receiver.waitForEvents(1)[0]
            #expect(
                event == [
                    "name": "client_event", "channel": "private-chat", "event": "client-typing",
                    "data": .string(#"{"who":"me"}"#), "socket_id": .string(sender.socketID),
                ]
            )

            let (alice, _) = try await WebSocketPresenceTests.join(server, userID: "alice")
            let (bob, _) = try await WebSocketPresenceTests.join(server, userID: "bob")
            try await alice.expect("pusher_internal:member_added")
            try await bob.send(
                PusherMessage(event: "client-wave", channel: WebSocketPresenceTests.channel, data: .string("hi"))
            )
            try await alice.expect("client-wave")
            let wave = try await receiver.waitForEvents(2)[1]
            #expect(wave["user_id"] == "bob")
            #expect(wave["data"] == "hi")
            #expect(wave["socket_id"] == .string(bob.socketID))
            for socket in [sender, receiverSocket, alice, bob] { await socket.close() }
        }
        await receiver.stop()
    }

    @Test("cache_miss when a cache channel has nothing cached")
    func cacheMiss() async throws {
        let receiver = try await WebhookReceiver.start()
        try await Self.with(receiver) { server in
            let socket = try await server.connect()
            try await Self.subscribe(socket, "cache-scores")
            try await socket.expect("pusher:cache_miss")
            let events = try await receiver.waitForEvents(2)
            #expect(
                events == [
                    ["name": "channel_occupied", "channel": "cache-scores"],
                    ["name": "cache_miss", "channel": "cache-scores"],
                ]
            )
            await socket.close()
        }
        await receiver.stop()
    }

    @Test("events that occur together arrive in one request")
    func batching() async throws {
        let receiver = try await WebhookReceiver.start()
        try await Self.onManualClock(receiver, configure: { $0.webhookDelivery.batchWindowMilliseconds = 1000 }) {
            webhooks in
            let socket = try await webhooks.server.connect()
            let channels = (1...5).map { "room-\($0)" }
            for channel in channels { try await socket.subscribe(channel: channel) }
            for channel in channels {
                try await socket.expect("pusher_internal:subscription_succeeded", channel: channel)
            }
            try await webhooks.handedOver(5)
            webhooks.clock.advance(by: .milliseconds(999))
            try await webhooks.atRest()
            #expect(receiver.requests.isEmpty)
            webhooks.clock.advance(by: .milliseconds(1))
            let requests = try await receiver.waitForRequests(1)
            webhooks.clock.advance(by: .seconds(5))
            try await webhooks.atRest()
            #expect(receiver.requests.count == 1)
            #expect(requests[0].events == channels.map { ["name": "channel_occupied", "channel": .string($0)] })
            await socket.close()
        }
        await receiver.stop()
    }
    @Test("a 500 is retried with the same signed body")
    func retryAfterServerError() async throws {
        let receiver = try await WebhookReceiver.start()
        receiver.script([.status(.internalServerError)])
        try await Self.with(receiver) { server in
            let socket = try await server.connect()
            try await Self.subscribe(socket, "news")
            let requests = try await receiver.waitForRequests(2)
            #expect(requests[0].body == requests[1].body)
            #expect(requests[0].headers["X-Pusher-Signature"] == requests[1].headers["X-Pusher-Signature"])
            #expect(requests[1].eventNames == ["channel_occupied"])
            let metrics = try await WebhookMetrics.waitFor(server) { $0.deliveredRequests == 1 }
            #expect(metrics.failedRequests == 1)
            #expect(metrics.deliveredRequests == 1)
            await socket.close()
        }
        await receiver.stop()
    }

    @Test("a request without an answer in time is retried")
    func retryAfterTimeout() async throws {
        let receiver = try await WebhookReceiver.start()
        receiver.script([.hang])
        try await Self.onManualClock(receiver, configure: { $0.webhookDelivery.requestTimeoutMilliseconds = 200 }) {
            webhooks in
            let server = webhooks.server
            let socket = try await server.connect()
            try await Self.subscribe(socket, "news")
            try await webhooks.handedOver(1)
            webhooks.clock.advance(by: .milliseconds(20))
            try await receiver.waitForRequests(1)
            webhooks.clock.advance(by: .milliseconds(200))
            _ = try await WebhookMetrics.waitFor(server) { $0.failedRequests == 1 }
            webhooks.clock.advance(by: .milliseconds(50))
            let requests = try await receiver.waitForRequests(2)
            #expect(requests[0].body == requests[1].body)
            let metrics = try await WebhookMetrics.waitFor(server) { $0.deliveredRequests == 1 }
            #expect(metrics.failedRequests == 1)
            #expect(metrics.deliveredRequests == 1)
            await socket.close()
        }
        await receiver.stop()
    }
    @Test("a batch still failing when the retry budget runs out is dropped and counted; later batches go on")
    func dropAfterRetryBudget() async throws {
        let receiver = try await WebhookReceiver.start(fallback: .status(.badGateway))
        try await Self.onManualClock(receiver, configure: { $0.webhookDelivery.retryBudgetMilliseconds = 300 }) {
            webhooks in
            let server = webhooks.server
            let socket = try await server.connect()
            try await Self.subscribe(socket, "doomed")
            try await webhooks.handedOver(1)
            // Attempts at 20 ms, then after 50 and 100 ms of backoff; the next (200 ms) would start
            // past the 300 ms budget, so the batch is dropped after three attempts.
            webhooks.clock.advance(by: .milliseconds(20))
            for (failures, backoff) in [(1, 50), (2, 100)] {
                _ = try await WebhookMetrics.waitFor(server) { $0.failedRequests == failures }
                webhooks.clock.advance(by: .milliseconds(Int64(backoff)))
            }
            let metrics = try await WebhookMetrics.waitFor(server) { $0.droppedUndelivered > 0 }
            #expect(metrics.droppedUndelivered == 1)
            #expect(metrics.failedRequests == 3)
            webhooks.clock.advance(by: .seconds(5))
            try await webhooks.atRest()
            #expect(receiver.requests.count == 3)

            receiver.setFallback(.status(.ok))
            try await Self.subscribe(socket, "fine")
            try await webhooks.handedOver(2)
            webhooks.clock.advance(by: .milliseconds(20))
            let requests = try await receiver.waitForRequests(4)
            #expect(requests.last?.events == [["name": "channel_occupied", "channel": "fine"]])
            await socket.close()
        }
        await receiver.stop()
    }
    @Test("each target gets only the event types it asked for")
    func eventTypeFilter() async throws {
        let everything = try await WebhookReceiver.start()
        let vacatedOnly = try await WebhookReceiver.start()
        try await Self.with(
            everything,
            configure: { app in
                app.webhooks.append(WebhookTarget(url: vacatedOnly.url, eventTypes: ["channel_vacated"]))
            }
        ) { server in
            let socket = try await server.connect()
            try await Self.subscribe(socket, "news")
            try await socket.unsubscribe(channel: "news")
            let all = try await everything.waitForEvents(2)
            #expect(all.compactMap { $0["name"]?.stringValue } == ["channel_occupied", "channel_vacated"])
            let vacated = try await vacatedOnly.waitForEvents(1)
            #expect(vacated == [["name": "channel_vacated", "channel": "news"]])
            #expect(vacatedOnly.requests.count == 1)
            await socket.close()
        }
        await everything.stop()
        await vacatedOnly.stop()
    }
}

/// A webhook test on a manual clock: time moves only when the test advances ``clock``.
struct WebhookHarness: Sendable {
    let server: TestServer
    let clock: ManualClock

    /// Waits until the server has handed `count` webhook events over to delivery since it started,
    /// and delivery has taken them in (so their timers run on the clock as it is now).
    func handedOver(_ count: Int) async throws {
        try await eventually("\(count) webhook events handed over") {
            try await WebhookMetrics.read(server).queuedEvents >= count
        }
        try await atRest()
    }

    /// Waits until delivery holds no untaken event and no request awaits its answer: after it,
    /// what the receiver has is all that was sent.
    func atRest() async throws {
        try await eventually("webhook delivery at rest") { await server.server.webhooksAtRest() }
    }
}

/// The webhook counters of a server, read from its `/metrics` endpoint.
struct WebhookMetrics {
    var queuedEvents = 0
    var deliveredRequests = 0
    var failedRequests = 0
    var droppedUndelivered = 0
    var droppedQueueFull = 0

    /// Reads the counters until `condition` holds; returns that reading.
    static func waitFor(_ server: TestServer, _ condition: (WebhookMetrics) -> Bool) async throws -> WebhookMetrics {
        var metrics = WebhookMetrics()
        try await eventually("webhook metrics condition") {
            metrics = try await read(server)
            return condition(metrics)
        }
        return metrics
    }

    static func read(_ server: TestServer) async throws -> WebhookMetrics {
        let text = try await server.metricsClient().get("/metrics").bodyText
        func value(_ prefix: String) -> Int {
            let line = text.split(separator: "\n").first { $0.hasPrefix(prefix) }
            return line.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }.map { Int($0) } ?? 0
        }
        return WebhookMetrics(
            queuedEvents: value("chorus_webhook_events_queued_total"),
            deliveredRequests: value(#"chorus_webhook_requests_total{outcome="delivered"}"#),
            failedRequests: value(#"chorus_webhook_requests_total{outcome="failed"}"#),
            droppedUndelivered: value(#"chorus_webhook_events_dropped_total{reason="retries_exhausted"}"#),
            droppedQueueFull: value(#"chorus_webhook_events_dropped_total{reason="queue_full"}"#)
        )
    }
}
