/// One notification service's client (`ChorusPushProviders`): APNs, FCM HTTP v1 or Web Push.
///
/// A provider makes one delivery attempt per call and classifies the answer; retries, backoff
/// and dead-lettering belong to the dispatcher. It caches what it derives from a credential (a
/// provider JWT, an OAuth access token) and renews it before it expires.
public protocol PushProvider: Sendable {
    /// The platform whose devices this provider reaches.
    var platform: PushPlatform { get }

    /// One attempt to deliver `notification` to `token` with `credential`.
    func send(
        _ notification: PushNotification,
        to token: ProviderToken,
        credential: StoredCredential
    ) async -> DeliveryAttempt
}

/// What a provider sends: the payload of one publish and the publish's delivery options.
public struct PushNotification: Sendable, Hashable {
    public var publishID: String
    public var payload: PushPayload
    /// After this instant (ms since 1970) the provider may drop it (`apns-expiration`, FCM `ttl`,
    /// Web Push `TTL`).
    public var expiresAtMs: Int64
    /// A repeat of this id replaces the earlier notification on the device (`apns-collapse-id`,
    /// FCM `collapse_key`, Web Push `Topic`): a delivery retried after a crash is not seen twice.
    public var collapseID: String

    public init(publishID: String, payload: PushPayload, expiresAtMs: Int64, collapseID: String) {
        self.publishID = publishID
        self.payload = payload
        self.expiresAtMs = expiresAtMs
        self.collapseID = collapseID
    }
}

/// How a provider answered one attempt.
public enum DeliveryAttempt: Sendable, Hashable {
    /// Accepted by the provider.
    case delivered
    /// The provider says the device no longer exists (410, `Unregistered`, `BadDeviceToken`,
    /// `UNREGISTERED`): the device is removed. `reason` is the provider's.
    case deviceGone(reason: String)
    /// Worth trying again (429, 5xx, timeout, connection failure), not before `retryAfter`
    /// seconds when the provider said (`Retry-After`).
    case retry(reason: String, retryAfter: Double?)
    /// Refused for good (a bad payload, a bad credential): `code` is stable, `reason` the provider's.
    case rejected(code: String, reason: String)
}
