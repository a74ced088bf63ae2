package import ChorusProtocol
package import ChorusPush

/// The FCM HTTP v1 request for one notification (`POST /v1/projects/{project}/messages:send`).
package enum FCMRequest {
    /// The request sending `notification` to `registrationToken` with `access`; `now` sets the TTL.
    package static func make(
        _ notification: PushNotification,
        registrationToken: String,
        access: FCMAccess,
        configuration: ProviderConfiguration,
        now: Double
    ) -> ProviderRequest {
        ProviderRequest(
            url: configuration.fcmURL + "/v1/projects/" + PathSegment.encode(access.projectID) + "/messages:send",
            headers: [
                ("authorization", "Bearer " + access.accessToken),
                ("content-type", "application/json; charset=UTF-8"),
            ],
            body: Array(message(notification, registrationToken: registrationToken, now: now).jsonText.utf8)
        )
    }

    /// `{"message":{"token","notification"?:{"title","body"},"data"?:{…},"android":{"collapse_key","ttl"}}}`.
    /// FCM data values must be strings: a non-string value travels as its JSON text.
    package static func message(_ notification: PushNotification, registrationToken: String, now: Double) -> JSONValue {
        let payload = notification.payload
        let ttl = max(0, (notification.expiresAtMs - Int64(now * 1000) + 999) / 1000)
        var message: [String: JSONValue] = [
            "token": .string(registrationToken),
            "android": ["collapse_key": .string(notification.collapseID), "ttl": .string("\(ttl)s")],
        ]
        var alert: [String: JSONValue] = [:]
        if let title = payload.title { alert["title"] = .string(title) }
        if let body = payload.body { alert["body"] = .string(body) }
        if !alert.isEmpty { message["notification"] = .object(alert) }
        if let data = payload.data { message["data"] = .object(stringValues(data)) }
        return ["message": .object(message)]
    }

    private static func stringValues(_ data: JSONValue) -> [String: JSONValue] {
        guard let members = data.objectValue else { return ["data": .string(data.jsonText)] }
        return members.mapValues { .string($0.stringValue ?? $0.jsonText) }
    }
}
