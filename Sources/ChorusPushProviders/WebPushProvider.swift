public import AsyncHTTPClient
public import ChorusPush
public import Logging

/// The Web Push client: each message encrypted for its subscription (RFC 8291, `aes128gcm`)
/// and posted to the subscription's endpoint (RFC 8030) with a VAPID authorization (RFC 8292),
/// cached per audience and key pair.
public struct WebPushProvider: PushProvider {
    public let platform = PushPlatform.webPush
    private let client: HTTPClient
    private let configuration: ProviderConfiguration
    private let logger: Logger
    private let clock: ProviderClock
    private let authorizations: RenewingCache<VAPIDAudience, String>
    private let limiter: ConcurrencyLimiter

    /// A provider sending through `client`, which its owner shuts down.
    public init(client: HTTPClient, configuration: ProviderConfiguration, logger: Logger) {
        self.init(client: client, configuration: configuration, logger: logger, clock: .system)
    }

    /// The same, reading time from `clock` (tests move it to see tokens renewed).
    package init(client: HTTPClient, configuration: ProviderConfiguration, logger: Logger, clock: ProviderClock) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.authorizations = RenewingCache(clock: clock)
        self.limiter = ConcurrencyLimiter(limit: configuration.maxConcurrentRequests)
    }

    public func send(
        _ notification: PushNotification,
        to token: ProviderToken,
        credential: StoredCredential
    ) async -> DeliveryAttempt {
        guard case .webPush(let vapid) = credential.credential else {
            return .rejected(.invalidCredential, "not a VAPID credential")
        }
        guard case .webPush(let subscription) = token else {
            return .rejected(.invalidToken, "not a Web Push subscription")
        }
        let attempt = await limiter.withPermit {
            await send(notification, to: subscription, credential: vapid)
        }
        logger.attempt(attempt, platform: platform, publishID: notification.publishID)
        return attempt
    }

    private func send(
        _ notification: PushNotification,
        to subscription: WebPushSubscription,
        credential: VAPIDCredential
    ) async -> DeliveryAttempt {
        guard let audience = VAPID.audience(of: subscription.endpoint) else {
            return .rejected(.invalidToken, "the subscription endpoint is not an http(s) URL")
        }
        let body: [UInt8]
        do {
            body = try WebPushEncryption(subscription: subscription).seal(WebPushRequest.plaintext(notification))
        } catch WebPushEncryption.Failure.payloadTooLarge {
            return .rejected(.payloadTooLarge, "over \(WebPushEncryption.maxPlaintextBytes) bytes once encoded")
        } catch {
            return .rejected(.invalidToken, "the subscription's p256dh or auth key is unusable")
        }
        let key = VAPIDAudience(audience: audience, credential: credential)
        let authorization: String
        do {
            authorization = try await authorizations.value(for: key) { [clock] in
                try VAPID.authorization(credential, audience: audience, now: clock.now())
            }
        } catch {
            return (error as? ProviderFailure)?.attempt ?? .rejected(.invalidCredential, "VAPID signing failed")
        }
        let request = WebPushRequest.make(
            notification,
            endpoint: subscription.endpoint,
            body: body,
            authorization: authorization,
            now: clock.now()
        )
        let verdict = await client.deliver(request, timeoutSeconds: configuration.requestTimeoutSeconds) {
            WebPushClassifier.classify($0, now: clock.now())
        }
        if verdict.dropsToken { await authorizations.invalidate(authorization, for: key) }
        return verdict.attempt
    }

    /// Nothing to close: the shared client belongs to whoever made it (``PushProviders``).
    public func shutdown() async {}
}
