package import ChorusProtocol

/// One notification a fake accepted, as the device would get it.
package struct ReceivedNotification: Sendable, Hashable {
    /// The APNs device token, FCM registration token or Web Push subscription id.
    package var target: String
    /// The request headers that carry delivery options (`apns-topic`, `apns-push-type`,
    /// `apns-priority`, `apns-expiration`, `apns-collapse-id`, `ttl`, `urgency`, `topic`, …),
    /// names lowercased.
    package var headers: [String: String]
    /// The payload: the APNs body, the FCM `message` object, the decrypted Web Push plaintext;
    /// `nil` when that plaintext is not JSON.
    package var payload: JSONValue?
    /// The payload's bytes (for Web Push, the decrypted plaintext).
    package var body: [UInt8]
}
