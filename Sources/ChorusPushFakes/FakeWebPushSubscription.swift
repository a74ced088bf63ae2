/// A push subscription the fake Web Push service made, as a browser hands it to an app server.
package struct FakeWebPushSubscription: Sendable, Hashable {
    /// The id in the endpoint's path: the ledger's target.
    package var id: String
    /// `http://127.0.0.1:{port}/push/{id}`.
    package var endpoint: String
    /// The user agent's P-256 public key, uncompressed point, base64url.
    package var p256dh: String
    /// The 16-byte authentication secret, base64url.
    package var auth: String
}
