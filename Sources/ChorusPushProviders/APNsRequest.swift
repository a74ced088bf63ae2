package import ChorusProtocol
package import ChorusPush
import Foundation

/// The HTTP/2 request APNs receives for one notification (`POST /3/device/{token}`).
package enum APNsRequest {
    /// The request to `deviceToken` signed with `providerToken`. A notification with a title or
    /// a body is an `alert` (priority 10); one with data only is a `background` push (priority 5).
    package static func make(
        _ notification: PushNotification,
        deviceToken: String,
        credential: APNsCredential,
        providerToken: String,
        configuration: ProviderConfiguration
    ) -> ProviderRequest {
        let base =
            switch credential.environment {
            case .production: configuration.apnsProductionURL
            case .sandbox: configuration.apnsSandboxURL
            }
        let isAlert = notification.payload.title != nil || notification.payload.body != nil
        return ProviderRequest(
            url: base + "/3/device/" + PathSegment.encode(deviceToken),
            headers: [
                ("authorization", "bearer " + providerToken),
                ("apns-topic", credential.topic),
                ("apns-push-type", isAlert ? "alert" : "background"),
                ("apns-priority", isAlert ? "10" : "5"),
                ("apns-expiration", String(max(0, notification.expiresAtMs / 1000))),
                ("apns-collapse-id", CollapseID.apns(notification.collapseID)),
                ("content-type", "application/json"),
            ],
            body: Array(payload(notification.payload).jsonText.utf8)
        )
    }

    /// `{"aps":{"alert":{"title","body"}},"data":…}`, or `{"aps":{"content-available":1},"data":…}`
    /// without title and body. The app's data travels under `data`, never merged beside `aps`,
    /// so no app key can collide with Apple's.
    package static func payload(_ payload: PushPayload) -> JSONValue {
        var alert: [String: JSONValue] = [:]
        if let title = payload.title { alert["title"] = .string(title) }
        if let body = payload.body { alert["body"] = .string(body) }
        var document: [String: JSONValue] = [
            "aps": alert.isEmpty ? ["content-available": 1] : ["alert": .object(alert)]
        ]
        if let data = payload.data { document["data"] = data }
        return .object(document)
    }
}

/// A token or an id placed in a URL path: anything but unreserved characters percent-encoded.
package enum PathSegment {
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )

    /// `text` safe to place between two slashes.
    package static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
