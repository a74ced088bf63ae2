import ChorusProtocol
import ChorusPush

/// A push request body as a backend sends it, read as each body the push API takes (device
/// registration, channel subscription, each provider's credential, publish). Whatever is
/// accepted keeps the API's limits, never shows a token or secret back, and a publish's
/// fingerprint does not depend on how the body was spelled.
enum PushRequestFuzz {
    static func run(_ bytes: [UInt8]) {
        guard let body = try? JSONValue(parsing: bytes) else { return }
        if let device = try? DeviceRegistration(request: body, appID: "1", nowMs: 0) {
            // The metadata is the app's own and echoed as given (it may quote anything, the token too).
            var fields = device.json.objectValue ?? [:]
            fields["metadata"] = nil
            let shown = JSONValue.object(fields).jsonText
            if case .token(let token) = device.token, token.utf8.count > 8 {
                precondition(!shown.contains(JSONText.quoted(token)), "a device token was shown back")
            }
            precondition(ProviderToken(storedText: device.token.storedText, platform: device.platform) == device.token)
        }
        if let subscription = try? ChannelSubscription(request: body, appID: "1") {
            precondition(subscription.deviceID != nil || subscription.clientID != nil, "a subscription names nobody")
        }
        for provider in PushProviderName.allCases {
            guard let credential = try? PushCredential(request: body, provider: provider) else { continue }
            precondition(PushCredential(storedJSON: credential.storedJSON, provider: provider) == credential)
            let shown = StoredCredential(appID: "1", credential: credential, version: 1, updatedAtMs: 0).redactedJSON
            for secret in ["private_key", "vapid_private_key", "service_account_json"] {
                if let value = shown[secret] { precondition(value == "[redacted]", "\(secret) was shown back") }
            }
        }
        guard let request = try? PublishRequest(body: body) else { return }
        precondition((1...PublishRequest.maxRecipients).contains(request.recipients.count), "recipients out of range")
        precondition((request.payload.title?.utf8.count ?? 0) <= PublishRequest.maxTitleBytes, "title too long")
        precondition((request.payload.body?.utf8.count ?? 0) <= PublishRequest.maxBodyBytes, "body too long")
        precondition(
            request.payload.title != nil || request.payload.body != nil || request.payload.data != nil,
            "an empty payload was accepted"
        )
        // The same publish in the canonical spelling has the same fingerprint.
        let respelled: JSONValue = [
            "recipients": .array(request.recipients.map(\.json)),
            "payload": request.payload.json,
            "ttl_seconds": .integer(Int64(request.ttlSeconds)),
        ]
        let again = try? PublishRequest(body: respelled)
        precondition(again?.fingerprint == request.fingerprint, "the fingerprint depends on the spelling")
    }
}
