public import ChorusProtocol

extension PushCredential {
    /// The credential a `POST …/push/credentials/{provider}` body gives:
    /// apns `{"team_id","key_id","private_key","topic","environment"?}` (production unless
    /// `development`/`sandbox`), fcm `{"service_account_json" (object or text),"project_id"?}`,
    /// webpush `{"vapid_public_key","vapid_private_key","subject"}`.
    public init(request body: JSONValue, provider: PushProviderName) throws(PushRequestError) {
        let fields = try PushFields(body: body)
        switch provider {
        case .apns:
            let environment: APNsEnvironment
            switch try fields.string("environment") ?? "production" {
            case "production": environment = .production
            case "development", "sandbox": environment = .sandbox
            case let other:
                throw PushRequestError(.invalidField, "environment must be production or development, not \(other)")
            }
            let key = try fields.requiredString("private_key")
            guard key.contains("-----BEGIN PRIVATE KEY-----") else {
                throw PushRequestError(.invalidField, "private_key must be the .p8 key in PEM (BEGIN PRIVATE KEY)")
            }
            self = .apns(
                APNsCredential(
                    teamID: try fields.requiredString("team_id"),
                    keyID: try fields.requiredString("key_id"),
                    privateKey: key,
                    topic: try fields.requiredString("topic"),
                    environment: environment
                )
            )
        case .fcm:
            guard let accountValue = fields.value("service_account_json") else {
                throw PushRequestError(.missingField, "service_account_json is required")
            }
            let accountText = accountValue.stringValue ?? accountValue.jsonText
            guard let account = try? JSONValue(parsing: accountText), account.objectValue != nil,
                account["client_email"]?.stringValue != nil, account["private_key"]?.stringValue != nil
            else {
                throw PushRequestError(
                    .invalidField,
                    "service_account_json must be a service account key with client_email and private_key"
                )
            }
            guard let project = try fields.string("project_id") ?? account["project_id"]?.stringValue else {
                throw PushRequestError(.missingField, "project_id is required (in the body or the service account)")
            }
            self = .fcm(FCMCredential(serviceAccountJSON: accountText, projectID: project))
        case .webPush:
            let publicKey = try fields.requiredString("vapid_public_key")
            let privateKey = try fields.requiredString("vapid_private_key")
            guard Base64URL.decode(publicKey)?.count == 65 else {
                throw PushRequestError(
                    .invalidField,
                    "vapid_public_key must be a base64url P-256 public key (65 bytes)"
                )
            }
            guard Base64URL.decode(privateKey)?.count == 32 else {
                throw PushRequestError(
                    .invalidField,
                    "vapid_private_key must be a base64url P-256 private key (32 bytes)"
                )
            }
            let subject = try fields.requiredString("subject")
            guard subject.hasPrefix("mailto:") || subject.hasPrefix("https:") else {
                throw PushRequestError(.invalidField, "subject must be a mailto: or https: URL")
            }
            self = .webPush(VAPIDCredential(publicKey: publicKey, privateKey: privateKey, subject: subject))
        }
    }
}

extension StoredCredential {
    /// The credential as the API shows it: what identifies it, never a secret.
    public var redactedJSON: JSONValue {
        var object: [String: JSONValue] = [
            "provider": .string(credential.provider.rawValue),
            "version": .integer(Int64(version)),
            "updated_at_ms": .integer(updatedAtMs),
        ]
        switch credential {
        case .apns(let apns):
            object["team_id"] = .string(apns.teamID)
            object["key_id"] = .string(apns.keyID)
            object["topic"] = .string(apns.topic)
            object["environment"] = .string(apns.environment.rawValue)
            object["private_key"] = "[redacted]"
        case .fcm(let fcm):
            object["project_id"] = .string(fcm.projectID)
            object["client_email"] = (try? JSONValue(parsing: fcm.serviceAccountJSON))?["client_email"] ?? .null
            object["service_account_json"] = "[redacted]"
        case .webPush(let vapid):
            object["vapid_public_key"] = .string(vapid.publicKey)
            object["subject"] = .string(vapid.subject)
            object["vapid_private_key"] = "[redacted]"
        }
        return .object(object)
    }
}
