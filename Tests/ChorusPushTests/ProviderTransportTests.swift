import ChorusPush
import ChorusPushProviders
import Crypto
import Logging
import NIOCore
import NIOPosix
import Testing

/// What the providers make of no answer at all, and of what they cannot even send; the answers
/// of live services are the fakes' tests.
@Suite struct ProviderTransportTests {
    static let notification = PushNotification(
        publishID: "pub_1",
        payload: PushPayload(title: "t"),
        expiresAtMs: 1_800_000_060_000,
        collapseID: "pub_1"
    )

    static var vapid: StoredCredential {
        let key = P256.Signing.PrivateKey()
        let credential = VAPIDCredential(
            publicKey: Base64URL.encode(key.publicKey.x963Representation),
            privateKey: Base64URL.encode(key.rawRepresentation),
            subject: "mailto:ops@example.com"
        )
        return StoredCredential(appID: "app", credential: .webPush(credential), version: 1, updatedAtMs: 0)
    }

    static func subscription(endpoint: String) -> ProviderToken {
        let userAgent = P256.KeyAgreement.PrivateKey()
        return .webPush(
            WebPushSubscription(
                endpoint: endpoint,
                p256dh: Base64URL.encode(userAgent.publicKey.x963Representation),
                auth: Base64URL.encode(Array(repeating: UInt8(9), count: 16))
            )
        )
    }

    /// A listener on 127.0.0.1 that accepts connections and never answers.
    static func silentServer() async throws -> any Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { $0.eventLoop.makeSucceededVoidFuture() }
            .bind(host: "127.0.0.1", port: 0)
            .get()
    }

    @Test func aServiceThatNeverAnswersIsRetriedAfterTheTimeout() async throws {
        let server = try await Self.silentServer()
        let port = try #require(server.localAddress?.port)
        var configuration = ProviderConfiguration()
        configuration.requestTimeoutSeconds = 0.2
        let providers = try PushProviders(configuration: configuration, logger: Logger(label: "test"))
        let attempt = await providers.provider(for: .webPush).send(
            Self.notification,
            to: Self.subscription(endpoint: "http://127.0.0.1:\(port)/push/1"),
            credential: Self.vapid
        )
        #expect(attempt == .retry(reason: "timeout", retryAfter: nil))
        await providers.shutdown()
        await providers.shutdown()
        try await server.close()
    }

    @Test func aServiceThatRefusesTheConnectionIsRetried() async throws {
        let server = try await Self.silentServer()
        let port = try #require(server.localAddress?.port)
        try await server.close()
        var configuration = ProviderConfiguration()
        configuration.requestTimeoutSeconds = 0.5
        let providers = try PushProviders(configuration: configuration, logger: Logger(label: "test"))
        let attempt = await providers.webPush.send(
            Self.notification,
            to: Self.subscription(endpoint: "http://127.0.0.1:\(port)/push/1"),
            credential: Self.vapid
        )
        guard case .retry(let reason, nil) = attempt else {
            Issue.record("not a retry: \(attempt)")
            return
        }
        #expect(reason.hasPrefix("connection failed"))
        await providers.shutdown()
    }

    @Test func whatCannotBeSentIsRejectedWithoutAnyRequest() async throws {
        let providers = try PushProviders(configuration: ProviderConfiguration(), logger: Logger(label: "test"))
        let apns = StoredCredential(
            appID: "app",
            credential: .apns(
                APNsCredential(teamID: "T", keyID: "K", privateKey: "not a key", topic: "t", environment: .sandbox)
            ),
            version: 1,
            updatedAtMs: 0
        )
        let fcm = StoredCredential(
            appID: "app",
            credential: .fcm(FCMCredential(serviceAccountJSON: "{}", projectID: "p")),
            version: 1,
            updatedAtMs: 0
        )
        #expect(
            await providers.apns.send(Self.notification, to: .token("a"), credential: apns).rejectionCode
                == "invalid_credential"
        )
        #expect(
            await providers.apns.send(Self.notification, to: .token("a"), credential: fcm).rejectionCode
                == "invalid_credential"
        )
        #expect(
            await providers.fcm.send(Self.notification, to: .token("a"), credential: fcm).rejectionCode
                == "invalid_credential"
        )
        #expect(
            await providers.fcm.send(Self.notification, to: Self.subscription(endpoint: "https://x"), credential: fcm)
                .rejectionCode == "invalid_token"
        )
        let badKeys = ProviderToken.webPush(
            WebPushSubscription(endpoint: "https://push.example", p256dh: "AAAA", auth: "AAAA")
        )
        #expect(
            await providers.webPush.send(Self.notification, to: badKeys, credential: Self.vapid).rejectionCode
                == "invalid_token"
        )
        #expect(
            await providers.webPush.send(
                Self.notification,
                to: Self.subscription(endpoint: "mailto:x"),
                credential: Self.vapid
            )
            .rejectionCode == "invalid_token"
        )
        var large = Self.notification
        large.payload = PushPayload(body: String(repeating: "b", count: 4000))
        #expect(
            await providers.webPush.send(
                large,
                to: Self.subscription(endpoint: "https://push.example"),
                credential: Self.vapid
            )
            .rejectionCode == "payload_too_large"
        )
        await providers.shutdown()
    }

    @Test func theFactoryHandsOutOneProviderPerPlatform() async throws {
        let providers = try PushProviders(configuration: ProviderConfiguration(), logger: Logger(label: "test"))
        for platform in PushPlatform.allCases { #expect(providers.provider(for: platform).platform == platform) }
        await providers.shutdown()
        var configuration = ProviderConfiguration()
        configuration.trustRootsPEM = "not a certificate"
        #expect(throws: (any Error).self) {
            try PushProviders(configuration: configuration, logger: Logger(label: "test"))
        }
    }
}

extension DeliveryAttempt {
    fileprivate var rejectionCode: String? {
        if case .rejected(let code, _) = self { code } else { nil }
    }
}
