public import ChorusProtocol

extension PushRecipient {
    /// `{"type":"channel","channel":…}`, `{"type":"device","device_id":…}`, `{"type":"client","client_id":…}`.
    public var json: JSONValue {
        switch self {
        case .channel(let channel): ["type": "channel", "channel": .string(channel)]
        case .device(let deviceID): ["type": "device", "device_id": .string(deviceID)]
        case .client(let clientID): ["type": "client", "client_id": .string(clientID)]
        }
    }

    /// The recipient of `json` as ``json`` writes it; nil for anything else.
    public init?(storedJSON json: JSONValue) {
        switch json["type"]?.stringValue {
        case "channel":
            guard let value = json["channel"]?.stringValue else { return nil }
            self = .channel(value)
        case "device":
            guard let value = json["device_id"]?.stringValue else { return nil }
            self = .device(value)
        case "client":
            guard let value = json["client_id"]?.stringValue else { return nil }
            self = .client(value)
        default: return nil
        }
    }
}

extension PushPayload {
    /// `{"title"?,"body"?,"data"?}`.
    public var json: JSONValue {
        var object: [String: JSONValue] = [:]
        if let title { object["title"] = .string(title) }
        if let body { object["body"] = .string(body) }
        if let data { object["data"] = data }
        return .object(object)
    }

    /// The payload of `json` as ``json`` writes it.
    public init(storedJSON json: JSONValue) {
        self.init(title: json["title"]?.stringValue, body: json["body"]?.stringValue, data: json["data"])
    }
}

extension ProviderToken {
    /// How a store keeps the token: the token itself, or the subscription as a JSON object.
    public var storedText: String {
        switch self {
        case .token(let token): token
        case .webPush(let subscription):
            JSONValue.object([
                "endpoint": .string(subscription.endpoint),
                "p256dh": .string(subscription.p256dh),
                "auth": .string(subscription.auth),
            ])
            .jsonText
        }
    }

    /// The token of `text` as ``storedText`` wrote it for `platform`; nil when it does not parse.
    public init?(storedText text: String, platform: PushPlatform) {
        guard platform == .webPush else {
            self = .token(text)
            return
        }
        guard let json = try? JSONValue(parsing: text),
            let endpoint = json["endpoint"]?.stringValue,
            let p256dh = json["p256dh"]?.stringValue,
            let auth = json["auth"]?.stringValue
        else { return nil }
        self = .webPush(WebPushSubscription(endpoint: endpoint, p256dh: p256dh, auth: auth))
    }
}

extension PushCredential {
    /// How a store keeps the credential: the fields of its `POST …/credentials/{provider}` body.
    public var storedJSON: JSONValue {
        switch self {
        case .apns(let apns):
            [
                "team_id": .string(apns.teamID), "key_id": .string(apns.keyID),
                "private_key": .string(apns.privateKey), "topic": .string(apns.topic),
                "environment": .string(apns.environment.rawValue),
            ]
        case .fcm(let fcm):
            ["service_account_json": .string(fcm.serviceAccountJSON), "project_id": .string(fcm.projectID)]
        case .webPush(let vapid):
            [
                "vapid_public_key": .string(vapid.publicKey), "vapid_private_key": .string(vapid.privateKey),
                "subject": .string(vapid.subject),
            ]
        }
    }

    /// The credential of `json` as ``storedJSON`` wrote it for `provider`; nil when a field is missing.
    public init?(storedJSON json: JSONValue, provider: PushProviderName) {
        func field(_ name: String) -> String? { json[name]?.stringValue }
        switch provider {
        case .apns:
            guard let teamID = field("team_id"), let keyID = field("key_id"), let key = field("private_key"),
                let topic = field("topic"), let environment = field("environment").flatMap(APNsEnvironment.init)
            else { return nil }
            self = .apns(
                APNsCredential(teamID: teamID, keyID: keyID, privateKey: key, topic: topic, environment: environment)
            )
        case .fcm:
            guard let account = field("service_account_json"), let project = field("project_id") else { return nil }
            self = .fcm(FCMCredential(serviceAccountJSON: account, projectID: project))
        case .webPush:
            guard let publicKey = field("vapid_public_key"), let privateKey = field("vapid_private_key"),
                let subject = field("subject")
            else { return nil }
            self = .webPush(VAPIDCredential(publicKey: publicKey, privateKey: privateKey, subject: subject))
        }
    }
}
