/// What every provider client shares: where the services are, which roots to trust and how long
/// one attempt may take. The defaults are the real services; tests point them at loopback fakes.
public struct ProviderConfiguration: Sendable, Hashable {
    /// APNs gateways, by credential environment.
    public var apnsProductionURL = "https://api.push.apple.com"
    public var apnsSandboxURL = "https://api.sandbox.push.apple.com"
    /// The FCM HTTP v1 base URL (`{base}/v1/projects/{project}/messages:send`).
    public var fcmURL = "https://fcm.googleapis.com"
    /// Replaces the service account's `token_uri` when set.
    public var fcmTokenURL: String?
    /// PEM certificates trusted instead of the system's roots when set (a test CA).
    public var trustRootsPEM: String?
    /// The longest one attempt may take, connection included.
    public var requestTimeoutSeconds: Double = 10
    /// The most attempts in flight per provider (HTTP/2 streams multiplex over few connections).
    public var maxConcurrentRequests = 256

    public init() {}
}
