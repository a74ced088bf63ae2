public import AsyncHTTPClient
public import ChorusPush
public import Logging

/// The APNs client: `POST /3/device/{token}` over HTTP/2 with an ES256 provider token, cached
/// per credential and renewed every 50 minutes.
public struct APNsProvider: PushProvider {
    public let platform = PushPlatform.apns
    private let client: HTTPClient
    private let configuration: ProviderConfiguration
    private let logger: Logger
    private let clock: ProviderClock
    private let providerTokens: RenewingCache<APNsCredential, String>
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
        self.providerTokens = RenewingCache(clock: clock)
        self.limiter = ConcurrencyLimiter(limit: configuration.maxConcurrentRequests)
    }

    public func send(
        _ notification: PushNotification,
        to token: ProviderToken,
        credential: StoredCredential
    ) async -> DeliveryAttempt {
        guard case .apns(let apns) = credential.credential else {
            return .rejected(.invalidCredential, "not an APNs credential")
        }
        guard case .token(let deviceToken) = token else {
            return .rejected(.invalidToken, "not an APNs device token")
        }
        let attempt = await limiter.withPermit {
            await send(notification, to: deviceToken, credential: apns)
        }
        logger.attempt(attempt, platform: platform, publishID: notification.publishID)
        return attempt
    }

    private func send(
        _ notification: PushNotification,
        to deviceToken: String,
        credential: APNsCredential
    ) async
        -> DeliveryAttempt
    {
        let providerToken: String
        do {
            providerToken = try await providerTokens.value(for: credential) { [clock] in
                try APNsProviderToken.sign(credential, now: clock.now())
            }
        } catch {
            return .rejected(.invalidCredential, "the APNs signing key is not a P-256 private key in PEM")
        }
        let request = APNsRequest.make(
            notification,
            deviceToken: deviceToken,
            credential: credential,
            providerToken: providerToken,
            configuration: configuration
        )
        let verdict = await client.deliver(request, timeoutSeconds: configuration.requestTimeoutSeconds) {
            APNsClassifier.classify($0, now: clock.now())
        }
        if verdict.dropsToken { await providerTokens.invalidate(providerToken, for: credential) }
        return verdict.attempt
    }

    /// Nothing to close: the shared client belongs to whoever made it (``PushProviders``).
    public func shutdown() async {}
}
