import ChorusClient
import ChorusProtocol
import ChorusPush
import ChorusServer
import ChorusStorage
import ChorusTesting
import Foundation
import NIOHTTP1
import Synchronization
import Testing

/// The dispatcher through the API, with a scripted FCM provider: every recipient ends in one
/// terminal state that says what happened, retries follow the policy, gone devices are removed.
@Suite struct PushDispatchTests {
    /// Runs `body` against a server whose FCM deliveries go to `provider`, retrying after 10 ms,
    /// three attempts at most.
    private func withServer(
        _ provider: ScriptedPushProvider,
        _ configure: @escaping (inout ServerConfiguration) -> Void = { _ in },
        store: (any PushStore)? = nil,
        _ body: (PushTestClient) async throws -> Void
    ) async throws {
        try await TestServer.with(
            {
                $0.pushDelivery.retryBaseDelayMs = 10
                $0.pushDelivery.maxAttempts = 3
                configure(&$0)
            },
            pushStore: store,
            pushProviders: [.fcm: provider]
        ) { server in
            try await body(PushTestClient(server))
        }
    }

    private func recipients(_ status: JSONValue) -> [String: JSONValue] {
        Dictionary(
            uniqueKeysWithValues: (status["recipients"]?.arrayValue ?? []).map {
                ($0["device_id"]?.stringValue ?? "", $0)
            }
        )
    }

    @Test func everyDeviceOfAChannelGetsOneNotification() async throws {
        let provider = ScriptedPushProvider(.fcm)
        try await withServer(provider) { client in
            try await client.putPlaceholderFCMCredential()
            for n in 0..<40 {
                try await client.register("d\(n)", clientID: n < 20 ? "team" : nil)
            }
            for n in 10..<40 { try await client.subscribe("orders", deviceID: "d\(n)") }
            try await client.subscribe("orders", clientID: "team")  // d0…d19, overlapping d10…d19
            let id = try await client.publish([
                "recipients": [["type": "channel", "channel": "orders"], ["type": "device", "device_id": "d5"]],
                "payload": ["title": "Order updated", "data": ["order_id": "ord_123"]],
            ])
            let status = try await client.terminalStatus(id)
            #expect(status["state"] == "succeeded")
            #expect(
                status["counters"] == ["planned": 40, "dispatched": 40, "succeeded": 40, "failed": 0, "expired": 0]
            )
            for n in 0..<40 { #expect(provider.attempts("token-d\(n)") == 1) }
            #expect(recipients(status).values.allSatisfy { $0["via"] == "fcm" && $0["attempts"] == 1 })
            #expect(provider.sent.allSatisfy { $0.publishID == id && $0.collapseID == id })
        }
    }

    @Test func retriesUntilTheProviderAccepts() async throws {
        let provider = ScriptedPushProvider(
            .fcm,
            script: [
                "token-flaky": [
                    .retry(reason: "HTTP 503", retryAfter: nil), .retry(reason: "HTTP 429", retryAfter: 0.02),
                ]
            ]
        )
        try await withServer(provider) { client in
            try await client.putPlaceholderFCMCredential()
            try await client.register("flaky")
            let id = try await client.publish([
                "recipients": [["type": "device", "device_id": "flaky"]], "payload": ["body": "b"],
            ])
            let status = try await client.terminalStatus(id)
            #expect(status["state"] == "succeeded")
            #expect(recipients(status)["flaky"]?["attempts"] == 3)
            #expect(provider.attempts("token-flaky") == 3)
        }
    }

    @Test func deadLettersAfterTheLastAttempt() async throws {
        let provider = ScriptedPushProvider(
            .fcm,
            script: ["token-down": Array(repeating: .retry(reason: "HTTP 500", retryAfter: nil), count: 10)]
        )
        try await withServer(provider) { client in
            try await client.putPlaceholderFCMCredential()
            try await client.register("down")
            try await client.register("up")
            let id = try await client.publish([
                "recipients": [["type": "device", "device_id": "down"], ["type": "device", "device_id": "up"]],
                "payload": ["body": "b"],
            ])
            let status = try await client.terminalStatus(id)
            #expect(status["state"] == "partially_succeeded")
            let down = recipients(status)["down"]
            #expect(down?["state"] == "failed")
            #expect(down?["error"] == "retries_exhausted")
            #expect(down?["attempts"] == 3)
            #expect(down?["detail"]?.stringValue?.contains("HTTP 500") == true)
            #expect(provider.attempts("token-down") == 3)
        }
    }

    @Test func aRetryThatWouldOverrunTheBudgetIsNotWaitedFor() async throws {
        let provider = ScriptedPushProvider(
            .fcm,
            script: ["token-slow": [.retry(reason: "HTTP 429", retryAfter: 3600)]]
        )
        try await withServer(provider, { $0.pushDelivery.retryBudgetSeconds = 60 }) { client in
            try await client.putPlaceholderFCMCredential()
            try await client.register("slow")
            let id = try await client.publish([
                "recipients": [["type": "device", "device_id": "slow"]], "payload": ["body": "b"],
            ])
            let status = try await client.terminalStatus(id)
            #expect(recipients(status)["slow"]?["error"] == "retries_exhausted")
            #expect(provider.attempts("token-slow") == 1)
        }
    }

    @Test func aGoneDeviceIsRemovedWithItsSubscriptions() async throws {
        let provider = ScriptedPushProvider(.fcm, script: ["token-old": [.deviceGone(reason: "UNREGISTERED")]])
        try await withServer(provider) { client in
            try await client.putPlaceholderFCMCredential()
            try await client.register("old")
            try await client.subscribe("news", deviceID: "old")
            let id = try await client.publish([
                "recipients": [["type": "channel", "channel": "news"]], "payload": ["body": "b"],
            ])
            let status = try await client.terminalStatus(id)
            #expect(recipients(status)["old"]?["error"] == "device_unregistered")
            #expect(try await client.get(client.path("deviceRegistrations", "old")).status == .notFound)
            let subscriptions = try await client.get(client.path("channelSubscriptions"), [("channel", "news")])
            #expect(try subscriptions.json()["items"] == [])
        }
    }

    @Test func aRejectionFailsWithTheProvidersCode() async throws {
        let provider = ScriptedPushProvider(
            .fcm,
            script: ["token-bad": [.rejected(code: "provider_rejected", reason: "INVALID_ARGUMENT")]]
        )
        try await withServer(provider) { client in
            try await client.putPlaceholderFCMCredential()
            try await client.register("bad")
            let id = try await client.publish([
                "recipients": [["type": "device", "device_id": "bad"]], "payload": ["body": "b"],
            ])
            let recipient = recipients(try await client.terminalStatus(id))["bad"]
            #expect(recipient?["error"] == "provider_rejected")
            #expect(recipient?["detail"] == "INVALID_ARGUMENT")
        }
    }

    @Test func whatTheTTLOutlivesExpires() async throws {
        let provider = ScriptedPushProvider(.fcm, script: ["token-late": [.retry(reason: "HTTP 503", retryAfter: 3.5)]])
        try await withServer(provider) { client in
            try await client.putPlaceholderFCMCredential()
            try await client.register("late")
            let id = try await client.publish([
                "recipients": [["type": "device", "device_id": "late"]], "payload": ["body": "b"], "ttl_seconds": 3,
            ])
            let status = try await client.terminalStatus(id)
            #expect(status["state"] == "expired")
            #expect(status["counters"]?["expired"] == 1)
            #expect(provider.attempts("token-late") == 1)
        }
    }

    @Test func withoutCredentialsNothingIsSentAndTheStatusSaysWhy() async throws {
        let provider = ScriptedPushProvider(.fcm)
        try await withServer(provider) { client in
            try await client.register("d")
            let id = try await client.publish([
                "recipients": [["type": "device", "device_id": "d"]], "payload": ["body": "b"],
            ])
            let status = try await client.terminalStatus(id)
            #expect(status["state"] == "failed")
            #expect(recipients(status)["d"]?["error"] == "no_credentials")
            #expect(recipients(status)["d"]?["via"] == nil)
            #expect(provider.attempts("token-d") == 0)
        }
    }

    @Test func theLogProviderStandsInForMissingCredentials() async throws {
        let provider = ScriptedPushProvider(.fcm)
        try await withServer(provider, { $0.apps[0].push.logProvider = true }) { client in
            try await client.register("d")
            let id = try await client.publish([
                "recipients": [["type": "device", "device_id": "d"]], "payload": ["body": "b"],
            ])
            let status = try await client.terminalStatus(id)
            #expect(status["state"] == "succeeded")
            #expect(recipients(status)["d"]?["via"] == "log")
            #expect(provider.attempts("token-d") == 0)
        }
    }

    @Test func syncWaitsForTheOutcome() async throws {
        try await withServer(ScriptedPushProvider(.fcm)) { client in
            try await client.putPlaceholderFCMCredential()
            try await client.register("d")
            let response = try await client.post(
                client.path("publish"),
                ["recipients": [["type": "device", "device_id": "d"]], "payload": ["body": "b"], "sync": true]
            )
            #expect(response.status == .ok)
            let status = try response.json()
            #expect(status["state"] == "succeeded")
            #expect(status["counters"]?["succeeded"] == 1)
        }
    }

    @Test func noRecipientIsASuccessAtOnce() async throws {
        try await withServer(ScriptedPushProvider(.fcm)) { client in
            let response = try await client.post(
                client.path("publish"),
                ["recipients": [["type": "channel", "channel": "empty"]], "payload": ["body": "b"]]
            )
            #expect(try response.json()["expected_recipients"] == 0)
            let id = try #require(try response.json()["publish_id"]?.stringValue)
            let status = try await client.terminalStatus(id)
            #expect(status["state"] == "succeeded")
            #expect(status["recipients"] == [])
        }
    }

    @Test func aPublishAdmittedBeforeAStartIsDispatchedByIt() async throws {
        let store = MemoryPushStore()
        let device = DeviceRegistration(
            appID: "1",
            deviceID: "d",
            platform: .fcm,
            token: .token("token-d"),
            clientID: nil,
            metadata: nil,
            updatedAtMs: 0
        )
        _ = try await store.register(device)
        _ = try await store.putCredential(
            appID: "1",
            credential: .fcm(FCMCredential(serviceAccountJSON: "{}", projectID: "p")),
            atMs: 0
        )
        let request = try PublishRequest(body: [
            "recipients": [["type": "device", "device_id": "d"]], "payload": ["body": "b"],
        ])
        let publish = request.publish(
            appID: "1",
            publishID: "pub_before",
            nowMs: Int64(Date().timeIntervalSince1970 * 1000)
        )
        #expect(try await store.admit(publish, idempotencySinceMs: 0) == .accepted(plannedRecipients: 1))
        let provider = ScriptedPushProvider(.fcm)
        try await withServer(provider, store: store) { client in
            let status = try await client.terminalStatus("pub_before")
            #expect(status["state"] == "succeeded")
            #expect(provider.attempts("token-d") == 1)
        }
    }

    @Test func aRecipientWaitingToRetryHoldsNoOneBehindIt() async throws {
        // More devices than one page of pending recipients: the first one's retry waits until
        // every other recipient, of its page and of the next, was attempted.
        let store = MemoryPushStore()
        let count = 1_500
        for n in 0..<count {
            let device = DeviceRegistration(
                appID: "1",
                deviceID: String(format: "d%04d", n),
                platform: .fcm,
                token: .token("token-\(n)"),
                clientID: nil,
                metadata: nil,
                updatedAtMs: 0
            )
            _ = try await store.register(device)
            _ = try await store.subscribe(
                ChannelSubscription(appID: "1", channel: "all", deviceID: device.deviceID, clientID: nil)
            )
        }
        let provider = PatientProvider(slow: "token-0", others: count - 1)
        try await TestServer.with(pushStore: store, pushProviders: [.fcm: provider]) { server in
            let client = PushTestClient(server)
            try await client.putPlaceholderFCMCredential()
            let id = try await client.publish([
                "recipients": [["type": "channel", "channel": "all"]], "payload": ["body": "b"],
            ])
            let status = try await client.terminalStatus(id)
            #expect(status["counters"]?["succeeded"] == .integer(Int64(count)))
            #expect(provider.othersWentFirst == true)
        }
    }
}

/// Answers "retry" to `slow`'s first attempt and holds its second until every other token was
/// attempted (30 s at most), noting whether they all were.
private final class PatientProvider: PushProvider {
    let platform = PushPlatform.fcm
    private let slow: String
    private let others: Int
    private let attempted = Mutex<Set<String>>([])
    private let slowAttempts = Mutex(0)
    private let verdict = Mutex<Bool?>(nil)
    /// Finishes when the last other token was attempted.
    private let othersAttempted: AsyncStream<Void>
    private let othersAttemptedContinuation: AsyncStream<Void>.Continuation

    init(slow: String, others: Int) {
        self.slow = slow
        self.others = others
        (othersAttempted, othersAttemptedContinuation) = AsyncStream.makeStream()
        if others == 0 { othersAttemptedContinuation.finish() }
    }

    /// Whether every other recipient was attempted before the slow one's retry; nil before it.
    var othersWentFirst: Bool? { verdict.withLock { $0 } }

    func send(
        _ notification: PushNotification,
        to token: ProviderToken,
        credential: StoredCredential
    ) async
        -> DeliveryAttempt
    {
        let key = token.storedText
        guard key == slow else {
            let count = attempted.withLock { attempted in
                attempted.insert(key)
                return attempted.count
            }
            if count == others { othersAttemptedContinuation.finish() }
            return .delivered
        }
        let attempt = slowAttempts.withLock { attempts in
            attempts += 1
            return attempts
        }
        if attempt == 1 { return .retry(reason: "HTTP 429", retryAfter: 0.01) }
        let othersAttempted = othersAttempted
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in othersAttempted {} }
            group.addTask { try? await Task.sleep(for: .seconds(30)) }
            await group.next()
            group.cancelAll()
        }
        let everyone = attempted.withLock { $0.count } == others
        verdict.withLock { $0 = everyone }
        return .delivered
    }
}
