import ChorusClient
import ChorusProtocol
import ChorusPush
import ChorusPushFakes
import ChorusServer
import ChorusStorage
import ChorusTesting
import Foundation
import NIOHTTP1
import Testing

/// Publishes delivered by the real provider clients to the loopback fakes, which verify the JWTs,
/// the headers and (Web Push) decrypt the payload; each failure answer provoked.
@Suite struct PushDeliveryTests {
    /// Runs `body` against a server delivering to `fakes` (new ones unless given), with every
    /// credential stored; shuts the fakes down afterwards.
    private func withFakes(
        _ configure: @escaping (inout ServerConfiguration) -> Void = { _ in },
        fakes given: PushProviderFakes? = nil,
        store: (any PushStore)? = nil,
        _ body: (PushTestClient, PushProviderFakes) async throws -> Void
    ) async throws {
        let fakes: PushProviderFakes
        if let given { fakes = given } else { fakes = try await PushProviderFakes.start() }
        do {
            try await TestServer.with(
                {
                    fakes.configure(&$0)
                    $0.pushDelivery.retryBaseDelayMs = 10
                    configure(&$0)
                },
                pushStore: store
            ) { server in
                let client = PushTestClient(server)
                try await fakes.putCredentials(client)
                try await body(client, fakes)
            }
        } catch {
            await fakes.shutdown()
            throw error
        }
        await fakes.shutdown()
    }

    private func recipients(_ status: JSONValue) -> [String: JSONValue] {
        Dictionary(
            uniqueKeysWithValues: (status["recipients"]?.arrayValue ?? []).map {
                ($0["device_id"]?.stringValue ?? "", $0)
            }
        )
    }

    @Test func eachPlatformDeliversThroughItsOwnProtocol() async throws {
        try await withFakes { client, fakes in
            let browser = fakes.webPushToken()
            try await client.register("iphone", platform: "apns", token: "apns-token-1")
            try await client.register("pixel", platform: "fcm", token: "fcm-token-1")
            try await client.register("firefox", platform: "web_push", token: browser.token)
            for device in ["iphone", "pixel", "firefox"] { try await client.subscribe("orders", deviceID: device) }
            let id = try await client.publish([
                "recipients": [["type": "channel", "channel": "orders"]],
                "payload": [
                    "title": "Order updated", "body": "Order ord_123 moved to packing", "data": ["order_id": "ord_123"],
                ],
            ])
            let status = try await client.terminalStatus(id)
            #expect(status["state"] == "succeeded", "\(status)")
            #expect(recipients(status)["iphone"]?["via"] == "apns")
            #expect(recipients(status)["pixel"]?["via"] == "fcm")
            #expect(recipients(status)["firefox"]?["via"] == "webpush")
            #expect(fakes.apns.ledger.deliveries(for: "apns-token-1") == 1)
            #expect(fakes.fcm.ledger.deliveries(for: "fcm-token-1") == 1)
            #expect(fakes.webPush.ledger.deliveries(for: browser.id) == 1)
            let decrypted = try #require(fakes.webPush.ledger.received(for: browser.id).first?.payload)
            #expect(decrypted["title"] == "Order updated")
            #expect(decrypted["body"] == "Order ord_123 moved to packing")
            #expect(decrypted["data"] == ["order_id": "ord_123"])
            #expect(decrypted["publish_id"] == .string(id))
            let apnsHeaders = try #require(fakes.apns.ledger.received(for: "apns-token-1").first?.headers)
            #expect(apnsHeaders["apns-topic"] == "com.example.chorus")
            #expect(apnsHeaders["apns-collapse-id"] != nil)
        }
    }

    @Test func goneAndBadTokensRemoveTheirDevices() async throws {
        try await withFakes { client, fakes in
            fakes.apns.ledger.script(.gone, for: "apns-gone")
            fakes.apns.ledger.script(.badDeviceToken, for: "apns-bad")
            fakes.fcm.ledger.script(.gone, for: "fcm-gone")
            let browser = fakes.webPushToken()
            fakes.webPush.ledger.script(.gone, for: browser.id)
            try await client.register("a", platform: "apns", token: "apns-gone")
            try await client.register("b", platform: "apns", token: "apns-bad")
            try await client.register("c", platform: "fcm", token: "fcm-gone")
            try await client.register("d", platform: "web_push", token: browser.token)
            let id = try await client.publish([
                "recipients": .array(["a", "b", "c", "d"].map { ["type": "device", "device_id": .string($0)] }),
                "payload": ["title": "t"],
            ])
            let status = try await client.terminalStatus(id)
            #expect(status["state"] == "failed")
            for device in ["a", "b", "c", "d"] {
                #expect(recipients(status)[device]?["error"] == "device_unregistered", "\(device)")
                let lookup = try await client.get(client.path("deviceRegistrations", device))
                #expect(lookup.status == .notFound, "\(device)")
            }
        }
    }

    @Test func rateLimitsAndServerErrorsAreRetried() async throws {
        try await withFakes { client, fakes in
            fakes.fcm.ledger.script(.rateLimited(retryAfterSeconds: 1, times: 1), for: "fcm-busy")
            fakes.apns.ledger.script(.serverError(times: 2), for: "apns-flaky")
            try await client.register("busy", platform: "fcm", token: "fcm-busy")
            try await client.register("flaky", platform: "apns", token: "apns-flaky")
            let id = try await client.publish([
                "recipients": [["type": "device", "device_id": "busy"], ["type": "device", "device_id": "flaky"]],
                "payload": ["body": "b"],
            ])
            let status = try await client.terminalStatus(id)
            #expect(status["state"] == "succeeded", "\(status)")
            #expect(recipients(status)["busy"]?["attempts"] == 2)
            #expect(recipients(status)["flaky"]?["attempts"] == 3)
            #expect(fakes.fcm.ledger.attempts(for: "fcm-busy") == 2)
            #expect(fakes.fcm.ledger.deliveries(for: "fcm-busy") == 1)
            #expect(fakes.apns.ledger.attempts(for: "apns-flaky") == 3)
        }
    }

    @Test func aProviderThatKeepsFailingIsDeadLettered() async throws {
        try await withFakes({ $0.pushDelivery.maxAttempts = 3 }) { client, fakes in
            fakes.apns.ledger.script(.serverError(times: .max), for: "apns-down")
            try await client.register("down", platform: "apns", token: "apns-down")
            let id = try await client.publish([
                "recipients": [["type": "device", "device_id": "down"]], "payload": ["body": "b"],
            ])
            let recipient = recipients(try await client.terminalStatus(id))["down"]
            #expect(recipient?["state"] == "failed")
            #expect(recipient?["error"] == "retries_exhausted")
            #expect(recipient?["attempts"] == 3)
            #expect(fakes.apns.ledger.attempts(for: "apns-down") == 3)
        }
    }

    @Test func aHangingProviderTimesOutAndIsRetried() async throws {
        try await withFakes({
            $0.pushDelivery.requestTimeoutSeconds = 1
            $0.pushDelivery.maxAttempts = 2
        }) { client, fakes in
            fakes.fcm.ledger.script(.hang, for: "fcm-hang")
            try await client.register("hang", platform: "fcm", token: "fcm-hang")
            let id = try await client.publish([
                "recipients": [["type": "device", "device_id": "hang"]], "payload": ["body": "b"],
            ])
            let recipient = recipients(try await client.terminalStatus(id))["hang"]
            #expect(recipient?["error"] == "retries_exhausted")
            #expect(recipient?["attempts"] == 2)
            // The second attempt may time out before the fake has read it on a loaded machine.
            #expect((1...2).contains(fakes.fcm.ledger.attempts(for: "fcm-hang")))
        }
    }

    /// A channel of 10,000 devices on the three platforms: every device gets exactly one
    /// notification and the counters add up. The dispatch rate (from the 202 to the last delivery
    /// the fakes saw) is printed, and written to `$CHORUS_PUSH_RATE_OUT` for scripts/push-rate.sh;
    /// it is measured, never asserted.
    @Test func tenThousandDevicesGetOneNotificationEach() async throws {
        let count = 10_000
        let store = MemoryPushStore()
        let fakes = try await PushProviderFakes.start()
        var targets: [String] = []
        for n in 0..<count {
            let platform: PushPlatform = n % 10 < 4 ? .apns : n % 10 < 7 ? .fcm : .webPush
            var token = ProviderToken.token("tok-\(n)")
            var target = "tok-\(n)"
            if platform == .webPush {
                let subscription = fakes.webPush.makeSubscription()
                token = .webPush(
                    WebPushSubscription(
                        endpoint: subscription.endpoint,
                        p256dh: subscription.p256dh,
                        auth: subscription.auth
                    )
                )
                target = subscription.id
            }
            targets.append(target)
            let deviceID = "dev-\(n)"
            let device = DeviceRegistration(
                appID: "1",
                deviceID: deviceID,
                platform: platform,
                token: token,
                clientID: nil,
                metadata: nil,
                updatedAtMs: 0
            )
            _ = try await store.register(device)
            _ = try await store.subscribe(
                ChannelSubscription(appID: "1", channel: "everyone", deviceID: deviceID, clientID: nil)
            )
        }
        try await withFakes(fakes: fakes, store: store) { client, fakes in
            let started = ContinuousClock.now
            let id = try await client.publish([
                "recipients": [["type": "channel", "channel": "everyone"]], "payload": ["title": "all"],
            ])
            let ledgers = [fakes.apns.ledger, fakes.fcm.ledger, fakes.webPush.ledger]
            try await eventually("10,000 deliveries", timeout: .seconds(120)) {
                ledgers.map(\.totalDeliveries).reduce(0, +) >= count
            }
            let elapsed = ContinuousClock.now - started
            let status = try await client.terminalStatus(id)
            #expect(status["state"] == "succeeded")
            #expect(
                status["counters"] == [
                    "planned": 10_000, "dispatched": 10_000, "succeeded": 10_000, "failed": 0, "expired": 0,
                ]
            )
            let delivered = ledgers.reduce(into: [String: Int]()) { all, ledger in
                all.merge(ledger.deliveriesByTarget) { $0 + $1 }
            }
            #expect(delivered.count == count)
            #expect(targets.allSatisfy { delivered[$0] == 1 })
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = Double(count) / seconds
            print(
                "push dispatch: \(count) notifications in \(String(format: "%.3f", seconds)) s = \(Int(rate)) notifications/s"
            )
            if let path = ProcessInfo.processInfo.environment["CHORUS_PUSH_RATE_OUT"] {
                let line: JSONValue = [
                    "notifications": .integer(Int64(count)), "seconds": .double(seconds), "per_second": .double(rate),
                    "apns": .integer(Int64(fakes.apns.ledger.totalDeliveries)),
                    "fcm": .integer(Int64(fakes.fcm.ledger.totalDeliveries)),
                    "web_push": .integer(Int64(fakes.webPush.ledger.totalDeliveries)),
                ]
                try (line.jsonText + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
    }
}
