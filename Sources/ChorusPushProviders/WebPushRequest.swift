import ChorusProtocol
package import ChorusPush

/// The RFC 8030 request delivering one encrypted message to a subscription's endpoint.
package enum WebPushRequest {
    /// The request carrying `body` (already encrypted) with `authorization` (VAPID).
    package static func make(
        _ notification: PushNotification,
        endpoint: String,
        body: [UInt8],
        authorization: String,
        now: Double
    ) -> ProviderRequest {
        let ttl = max(0, (notification.expiresAtMs - Int64(now * 1000) + 999) / 1000)
        return ProviderRequest(
            url: endpoint,
            headers: [
                ("authorization", authorization),
                ("ttl", String(ttl)),
                ("content-encoding", "aes128gcm"),
                ("content-type", "application/octet-stream"),
                ("urgency", "normal"),
                ("topic", CollapseID.webPushTopic(notification.collapseID)),
            ],
            body: body
        )
    }

    /// The plaintext the service worker reads: `{"title"?,"body"?,"data"?,"publish_id"}`.
    package static func plaintext(_ notification: PushNotification) -> [UInt8] {
        var message = notification.payload.json.objectValue ?? [:]
        message["publish_id"] = .string(notification.publishID)
        return Array(JSONValue.object(message).jsonText.utf8)
    }
}
