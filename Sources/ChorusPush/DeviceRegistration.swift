public import ChorusProtocol

/// A device registered to receive an app's notifications.
public struct DeviceRegistration: Sendable, Hashable {
    public var appID: String
    public var deviceID: String
    public var platform: PushPlatform
    /// Where the provider delivers; never echoed by the API.
    public var token: ProviderToken
    public var clientID: String?
    /// What the app stored with the device (`metadata`), echoed as given.
    public var metadata: JSONValue?
    public var updatedAtMs: Int64

    public init(
        appID: String,
        deviceID: String,
        platform: PushPlatform,
        token: ProviderToken,
        clientID: String?,
        metadata: JSONValue?,
        updatedAtMs: Int64
    ) {
        self.appID = appID
        self.deviceID = deviceID
        self.platform = platform
        self.token = token
        self.clientID = clientID
        self.metadata = metadata
        self.updatedAtMs = updatedAtMs
    }

    /// Whether `other` registers the same thing (the time aside): a repeat is `unchanged`.
    public func registersSame(as other: DeviceRegistration) -> Bool {
        var other = other
        other.updatedAtMs = updatedAtMs
        return self == other
    }
}

/// A device's address at its provider.
public enum ProviderToken: Sendable, Hashable {
    /// An APNs device token or an FCM registration token.
    case token(String)
    /// A browser's push subscription (RFC 8030 endpoint and RFC 8291 keys).
    case webPush(WebPushSubscription)
}

/// A browser's `PushSubscription`: the push service endpoint and the user agent's keys.
public struct WebPushSubscription: Sendable, Hashable {
    public var endpoint: String
    /// The user agent's P-256 public key, uncompressed point, base64url.
    public var p256dh: String
    /// The 16-byte authentication secret, base64url.
    public var auth: String

    public init(endpoint: String, p256dh: String, auth: String) {
        self.endpoint = endpoint
        self.p256dh = p256dh
        self.auth = auth
    }
}

/// What `POST …/deviceRegistrations` did.
public enum RegistrationChange: String, Sendable, Hashable {
    case created
    case updated
    case unchanged
}
