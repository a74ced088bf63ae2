import ChorusProtocol
import ChorusPush
import ChorusPushFakes
import ChorusPushProviders
import Crypto
import Foundation
import Logging
import Testing

/// Each real provider client against its loopback fake: what it sends is verified as the real
/// service verifies it and arrives as published; every failure answer maps to the right attempt.
@Suite struct ProviderAgainstFakeTests {
    static let payload = PushPayload(title: "Hi", body: "There", data: ["order": "42", "count": 3])

    static func notification(_ publishID: String = "pub_1") -> PushNotification {
        PushNotification(
            publishID: publishID,
            payload: payload,
            expiresAtMs: Int64(Date().timeIntervalSince1970 * 1000) + 3_600_000,
            collapseID: publishID
        )
    }

    /// Providers configured by `configure`, shut down after `body`.
    static func withProviders(
        _ configure: (inout ProviderConfiguration) -> Void,
        _ body: (PushProviders) async throws -> Void
    ) async throws {
        var configuration = ProviderConfiguration()
        // Generous: a first TLS handshake of a debug build on a loaded machine takes a while. The
        // timeout itself is tested by ProviderTransportTests and PushDeliveryTests.
        configuration.requestTimeoutSeconds = 30
        configure(&configuration)
        let providers = try PushProviders(configuration: configuration, logger: Logger(label: "push-test"))
        do {
            try await body(providers)
            await providers.shutdown()
        } catch {
            await providers.shutdown()
            throw error
        }
    }

    /// Runs `body` with `fake`, shut down afterwards.
    static func with<Fake: FakePushService>(_ fake: Fake, _ body: (Fake) async throws -> Void) async throws {
        do {
            try await body(fake)
            await fake.shutdown()
        } catch {
            await fake.shutdown()
            throw error
        }
    }

    /// Sends to every token at once.
    static func sendAll(
        _ provider: any PushProvider,
        to tokens: [ProviderToken],
        credential: StoredCredential
    ) async -> [DeliveryAttempt] {
        await withTaskGroup(of: DeliveryAttempt.self) { group in
            for token in tokens {
                group.addTask { await provider.send(notification(), to: token, credential: credential) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// Scripts every failure answer on its own target and checks the attempt each maps to (no
    /// answer at all: ProviderTransportTests and PushDeliveryTests).
    static func expectFailuresMapped(
        ledger: FakeLedger,
        targets: [String: ProviderToken],
        includeBadDeviceToken: Bool,
        send: (ProviderToken) async -> DeliveryAttempt
    ) async throws {
        ledger.script(.gone, for: "gone")
        ledger.script(.badDeviceToken, for: "bad")
        ledger.script(.rateLimited(retryAfterSeconds: 7, times: 1), for: "busy")
        ledger.script(.serverError(times: 1), for: "flaky")
        let gone = await send(try #require(targets["gone"]))
        #expect(gone.isDeviceGone, "410 → device gone: \(gone)")
        if includeBadDeviceToken {
            let bad = await send(try #require(targets["bad"]))
            #expect(bad.isDeviceGone, "400 BadDeviceToken → device gone: \(bad)")
        }
        let busy = await send(try #require(targets["busy"]))
        #expect(busy.isRetry && busy.retryAfter == 7, "429 Retry-After: 7 → retry after 7 s: \(busy)")
        let flaky = await send(try #require(targets["flaky"]))
        #expect(flaky.isRetry, "500 → retry: \(flaky)")
        #expect(await send(try #require(targets["busy"])) == .delivered)
        #expect(await send(try #require(targets["flaky"])) == .delivered)
    }
    @Test func apnsDeliversOverHTTP2WithAVerifiedProviderTokenAndMapsEveryFailure() async throws {
        try await Self.with(try await FakeAPNs.start()) { apns in
            let key = P256.Signing.PrivateKey()
            apns.register(teamID: "TEAM123456", keyID: "KEY1234567", publicKey: key.publicKey)
            let credential = StoredCredential(
                appID: "1",
                credential: .apns(
                    APNsCredential(
                        teamID: "TEAM123456",
                        keyID: "KEY1234567",
                        privateKey: key.pemRepresentation,
                        topic: "com.example.app",
                        environment: .sandbox
                    )
                ),
                version: 1,
                updatedAtMs: 0
            )
            try await Self.withProviders({
                $0.apnsSandboxURL = apns.baseURL
                $0.trustRootsPEM = TestCertificateAuthority.certificatePEM
            }) { providers in
                let tokens = (0..<50).map { "device\($0)" }
                let attempts = await Self.sendAll(providers.apns, to: tokens.map { .token($0) }, credential: credential)
                #expect(attempts.allSatisfy { $0 == .delivered })
                #expect(tokens.allSatisfy { apns.ledger.deliveries(for: $0) == 1 })
                let received = try #require(apns.ledger.received(for: "device0").first)
                #expect(received.payload?["aps"]?["alert"]?["title"] == "Hi")
                #expect(received.payload?["aps"]?["alert"]?["body"] == "There")
                #expect(received.headers["apns-topic"] == "com.example.app")
                #expect(received.headers["apns-push-type"] == "alert")
                #expect(received.headers["apns-collapse-id"] != nil)

                let targets = Dictionary(
                    uniqueKeysWithValues: ["gone", "bad", "busy", "flaky"].map { ($0, ProviderToken.token($0)) }
                )
                try await Self.expectFailuresMapped(ledger: apns.ledger, targets: targets, includeBadDeviceToken: true)
                {
                    await providers.apns.send(Self.notification(), to: $0, credential: credential)
                }
            }
        }
    }

    @Test func fcmFetchesOneAccessTokenForManySendsAndMapsEveryFailure() async throws {
        try await Self.with(try await FakeFCM.start()) { fcm in
            let credential = StoredCredential(
                appID: "1",
                credential: .fcm(
                    FCMCredential(serviceAccountJSON: try fcm.makeServiceAccount(), projectID: "chorus-test")
                ),
                version: 1,
                updatedAtMs: 0
            )
            try await Self.withProviders({ $0.fcmURL = fcm.baseURL }) { providers in
                #expect(
                    await providers.fcm.send(Self.notification(), to: .token("first"), credential: credential)
                        == .delivered
                )
                let tokens = (0..<50).map { "registration\($0)" }
                let attempts = await Self.sendAll(providers.fcm, to: tokens.map { .token($0) }, credential: credential)
                #expect(attempts.allSatisfy { $0 == .delivered })
                #expect(fcm.issuedAccessTokenCount == 1)
                #expect(tokens.allSatisfy { fcm.ledger.deliveries(for: $0) == 1 })
                let message = try #require(fcm.ledger.received(for: "first").first?.payload)
                #expect(message["token"] == "first")
                #expect(message["notification"]?["title"] == "Hi")
                #expect(message["data"]?["order"] == "42")

                let targets = Dictionary(
                    uniqueKeysWithValues: ["gone", "busy", "flaky"].map { ($0, ProviderToken.token($0)) }
                )
                try await Self.expectFailuresMapped(ledger: fcm.ledger, targets: targets, includeBadDeviceToken: false)
                {
                    await providers.fcm.send(Self.notification(), to: $0, credential: credential)
                }
            }
        }
    }

    @Test func webPushDeliversAPayloadTheBrowserDecryptsAndMapsEveryFailure() async throws {
        try await Self.with(try await FakeWebPush.start()) { push in
            let vapidKey = P256.Signing.PrivateKey()
            let credential = StoredCredential(
                appID: "1",
                credential: .webPush(
                    VAPIDCredential(
                        publicKey: Base64URL.encode(vapidKey.publicKey.x963Representation),
                        privateKey: Base64URL.encode(vapidKey.rawRepresentation),
                        subject: "mailto:ops@example.com"
                    )
                ),
                version: 1,
                updatedAtMs: 0
            )
            func token(_ subscription: FakeWebPushSubscription) -> ProviderToken {
                .webPush(
                    WebPushSubscription(
                        endpoint: subscription.endpoint,
                        p256dh: subscription.p256dh,
                        auth: subscription.auth
                    )
                )
            }
            try await Self.withProviders({ _ in }) { providers in
                let subscriptions = (0..<20).map { _ in push.makeSubscription() }
                let attempts = await Self.sendAll(
                    providers.webPush,
                    to: subscriptions.map(token),
                    credential: credential
                )
                #expect(attempts.allSatisfy { $0 == .delivered })
                for subscription in subscriptions {
                    let received = try #require(push.ledger.received(for: subscription.id).first)
                    #expect(received.payload?["title"] == "Hi")
                    #expect(received.payload?["body"] == "There")
                    #expect(received.payload?["data"] == Self.payload.data)
                    #expect(received.payload?["publish_id"] == "pub_1")
                }

                let targets = Dictionary(
                    uniqueKeysWithValues: ["gone", "busy", "flaky"].map {
                        ($0, token(push.makeSubscription(id: $0)))
                    }
                )
                try await Self.expectFailuresMapped(
                    ledger: push.ledger,
                    targets: targets,
                    includeBadDeviceToken: false
                ) {
                    await providers.webPush.send(Self.notification(), to: $0, credential: credential)
                }
            }
        }
    }

}

extension DeliveryAttempt {
    fileprivate var isDeviceGone: Bool {
        if case .deviceGone = self { true } else { false }
    }

    fileprivate var isRetry: Bool {
        if case .retry = self { true } else { false }
    }

    /// A retry's `Retry-After` seconds.
    fileprivate var retryAfter: Double? {
        if case .retry(_, let retryAfter) = self { retryAfter } else { nil }
    }
}
