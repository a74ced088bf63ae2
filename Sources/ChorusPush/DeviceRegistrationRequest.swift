public import ChorusProtocol

extension DeviceRegistration {
    /// The registration a `POST …/push/deviceRegistrations` body asks for:
    /// `{"device_id","platform","provider_token","client_id"?,"metadata"?}`, the token of `web_push`
    /// an object `{"endpoint","p256dh","auth"}` (or that object as JSON text).
    public init(request body: JSONValue, appID: String, nowMs: Int64) throws(PushRequestError) {
        let fields = try PushFields(body: body)
        let deviceID = try fields.requiredString("device_id")
        let platformName = try fields.requiredString("platform")
        guard let platform = PushPlatform(rawValue: platformName) ?? (platformName == "webpush" ? .webPush : nil)
        else {
            throw PushRequestError(.unknownPlatform, "platform must be apns, fcm or web_push, not \(platformName)")
        }
        guard let tokenValue = fields.value("provider_token") else {
            throw PushRequestError(.missingField, "provider_token is required")
        }
        let metadata = fields.value("metadata")
        if let metadata, metadata.objectValue == nil {
            throw PushRequestError(.invalidField, "metadata must be an object")
        }
        self.init(
            appID: appID,
            deviceID: deviceID,
            platform: platform,
            token: try ProviderToken(request: tokenValue, platform: platform),
            clientID: try fields.string("client_id"),
            metadata: metadata,
            updatedAtMs: nowMs
        )
    }

    /// The registration as the API shows it: never the token.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "device_id": .string(deviceID),
            "platform": .string(platform.rawValue),
            "client_id": clientID.map(JSONValue.string) ?? .null,
            "state": "active",
            "updated_at_ms": .integer(updatedAtMs),
        ]
        if let metadata { object["metadata"] = metadata }
        return .object(object)
    }
}

extension ProviderToken {
    /// The token of a registration body for `platform`.
    init(request value: JSONValue, platform: PushPlatform) throws(PushRequestError) {
        guard platform == .webPush else {
            guard let token = value.stringValue, !token.isEmpty, token.utf8.count <= 4096 else {
                throw PushRequestError(.invalidField, "provider_token must be a non-empty string of at most 4096 bytes")
            }
            self = .token(token)
            return
        }
        let object = value.stringValue.flatMap { try? JSONValue(parsing: $0) } ?? value
        let fields: PushFields
        do { fields = try PushFields(body: object) } catch {
            throw PushRequestError(
                .invalidField,
                "provider_token of web_push must be a subscription object {endpoint, p256dh, auth}"
            )
        }
        let endpoint = try fields.requiredString("endpoint")
        guard endpoint.hasPrefix("https://") || endpoint.hasPrefix("http://") else {
            throw PushRequestError(.invalidField, "provider_token.endpoint must be an http(s) URL")
        }
        let p256dh = try fields.requiredString("p256dh")
        let auth = try fields.requiredString("auth")
        guard Base64URL.decode(p256dh)?.count == 65 else {
            throw PushRequestError(
                .invalidField,
                "provider_token.p256dh must be a base64url P-256 public key (65 bytes)"
            )
        }
        guard Base64URL.decode(auth)?.count == 16 else {
            throw PushRequestError(.invalidField, "provider_token.auth must be a base64url 16-byte secret")
        }
        self = .webPush(WebPushSubscription(endpoint: endpoint, p256dh: p256dh, auth: auth))
    }
}
