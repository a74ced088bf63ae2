/// An app's credential for one provider, as stored; the secrets never leave the server.
public enum PushCredential: Sendable, Hashable {
    case apns(APNsCredential)
    case fcm(FCMCredential)
    case webPush(VAPIDCredential)

    public var provider: PushProviderName {
        switch self {
        case .apns: .apns
        case .fcm: .fcm
        case .webPush: .webPush
        }
    }
}

/// An APNs token-based credential (a `.p8` signing key).
public struct APNsCredential: Sendable, Hashable {
    public var teamID: String
    public var keyID: String
    /// The ES256 signing key, PEM (PKCS#8).
    public var privateKey: String
    /// The app's bundle id, sent as `apns-topic`.
    public var topic: String
    public var environment: APNsEnvironment

    public init(teamID: String, keyID: String, privateKey: String, topic: String, environment: APNsEnvironment) {
        self.teamID = teamID
        self.keyID = keyID
        self.privateKey = privateKey
        self.topic = topic
        self.environment = environment
    }
}

/// Which APNs gateway a credential delivers through.
public enum APNsEnvironment: String, Sendable, Hashable, Codable {
    case production
    case sandbox = "development"
}

/// An FCM HTTP v1 credential: a Google service account.
public struct FCMCredential: Sendable, Hashable {
    /// The service account key file as given (`client_email`, `private_key`, `token_uri`, …).
    public var serviceAccountJSON: String
    public var projectID: String

    public init(serviceAccountJSON: String, projectID: String) {
        self.serviceAccountJSON = serviceAccountJSON
        self.projectID = projectID
    }
}

/// A Web Push application server's VAPID key pair (RFC 8292).
public struct VAPIDCredential: Sendable, Hashable {
    /// The P-256 public key, uncompressed point, base64url.
    public var publicKey: String
    /// The P-256 private scalar, base64url (32 bytes).
    public var privateKey: String
    /// A `mailto:` or `https:` contact, the JWT's `sub`.
    public var subject: String

    public init(publicKey: String, privateKey: String, subject: String) {
        self.publicKey = publicKey
        self.privateKey = privateKey
        self.subject = subject
    }
}

/// A credential with the version the store gave it (1 for the first of its provider, then +1).
public struct StoredCredential: Sendable, Hashable {
    public var appID: String
    public var credential: PushCredential
    public var version: Int
    public var updatedAtMs: Int64

    public init(appID: String, credential: PushCredential, version: Int, updatedAtMs: Int64) {
        self.appID = appID
        self.credential = credential
        self.version = version
        self.updatedAtMs = updatedAtMs
    }
}
