public import AsyncHTTPClient
public import ChorusPush
public import Logging

/// The FCM HTTP v1 client: an OAuth2 access token from the service account (RS256 assertion),
/// cached until shortly before it expires and fetched once for concurrent senders, then
/// `POST /v1/projects/{project}/messages:send`.
public struct FCMProvider: PushProvider {
    public let platform = PushPlatform.fcm
    private let client: HTTPClient
    private let configuration: ProviderConfiguration
    private let logger: Logger
    private let clock: ProviderClock
    private let accessTokens: RenewingCache<FCMCredential, FCMAccess>
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
        self.accessTokens = RenewingCache(clock: clock)
        self.limiter = ConcurrencyLimiter(limit: configuration.maxConcurrentRequests)
    }

    public func send(
        _ notification: PushNotification,
        to token: ProviderToken,
        credential: StoredCredential
    ) async -> DeliveryAttempt {
        guard case .fcm(let fcm) = credential.credential else {
            return .rejected(.invalidCredential, "not an FCM credential")
        }
        guard case .token(let registrationToken) = token else {
            return .rejected(.invalidToken, "not an FCM registration token")
        }
        let attempt = await limiter.withPermit {
            await send(notification, to: registrationToken, credential: fcm)
        }
        logger.attempt(attempt, platform: platform, publishID: notification.publishID)
        return attempt
    }

    private func send(
        _ notification: PushNotification,
        to registrationToken: String,
        credential: FCMCredential
    )
        async -> DeliveryAttempt
    {
        let access: FCMAccess
        do {
            access = try await accessTokens.value(for: credential) { [client, configuration, clock] in
                try await Self.fetchAccess(credential, client: client, configuration: configuration, clock: clock)
            }
        } catch {
            return (error as? ProviderFailure)?.attempt ?? .transportFailure(error)
        }
        let request = FCMRequest.make(
            notification,
            registrationToken: registrationToken,
            access: access,
            configuration: configuration,
            now: clock.now()
        )
        let verdict = await client.deliver(request, timeoutSeconds: configuration.requestTimeoutSeconds) {
            FCMClassifier.classify($0, now: clock.now())
        }
        if verdict.dropsToken { await accessTokens.invalidate(access, for: credential) }
        return verdict.attempt
    }

    /// Exchanges a fresh assertion for an access token at `fcmTokenURL`, or the account's `token_uri`.
    private static func fetchAccess(
        _ credential: FCMCredential,
        client: HTTPClient,
        configuration: ProviderConfiguration,
        clock: ProviderClock
    ) async throws -> Renewable<FCMAccess> {
        let account = try FCMServiceAccount(credential)
        let projectID = credential.projectID.isEmpty ? account.projectID ?? "" : credential.projectID
        guard !projectID.isEmpty else {
            throw ProviderFailure(
                .rejected(.invalidCredential, "no project id in the credential or the service account")
            )
        }
        let tokenURL = configuration.fcmTokenURL ?? account.tokenURI
        let assertion = try FCMAccessToken.assertion(for: account, audience: tokenURL, now: clock.now())
        let response: ProviderResponse
        do {
            response = try await client.exchange(
                FCMAccessToken.request(url: tokenURL, assertion: assertion),
                timeoutSeconds: configuration.requestTimeoutSeconds
            )
        } catch {
            throw ProviderFailure(.transportFailure(error))
        }
        return try FCMAccessToken.token(from: response, projectID: projectID, now: clock.now())
    }

    /// Nothing to close: the shared client belongs to whoever made it (``PushProviders``).
    public func shutdown() async {}
}
