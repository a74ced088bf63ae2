import ChorusProtocol
import ChorusPush

/// How the SQL push stores write values into columns and read them back, shared by SQLite and
/// PostgreSQL: enums as their raw values, a token as ``ProviderToken/storedText``, metadata,
/// recipients, payloads and credentials as JSON text, an absent id of a subscription as "".
enum PushColumns {
    /// The publish states a restart resumes, as an SQL list: written out, so that the planner
    /// matches the partial index on unfinished publishes.
    static let unfinishedStates = "('accepted', 'planning', 'dispatching')"

    static func device(
        appID: String,
        deviceID: String,
        platform: String,
        token: String,
        clientID: String?,
        metadata: String?,
        updatedAtMs: Int64
    ) throws(PushStoreError) -> DeviceRegistration {
        let platform = try self.platform(platform)
        guard let providerToken = ProviderToken(storedText: token, platform: platform) else {
            throw PushStoreError("device \(deviceID) has an unreadable \(platform.rawValue) token")
        }
        return DeviceRegistration(
            appID: appID,
            deviceID: deviceID,
            platform: platform,
            token: providerToken,
            clientID: clientID,
            metadata: try metadata.map { text throws(PushStoreError) in try json(text, "metadata") },
            updatedAtMs: updatedAtMs
        )
    }

    /// The token of a device that may be gone since (nil columns).
    static func token(_ text: String?, platform: PushPlatform) throws(PushStoreError) -> ProviderToken? {
        guard let text else { return nil }
        guard let token = ProviderToken(storedText: text, platform: platform) else {
            throw PushStoreError("an unreadable \(platform.rawValue) token")
        }
        return token
    }

    static func platform(_ text: String) throws(PushStoreError) -> PushPlatform {
        guard let platform = PushPlatform(rawValue: text) else { throw PushStoreError("unknown platform \(text)") }
        return platform
    }

    static func recipientsText(_ recipients: [PushRecipient]) -> String {
        JSONValue.array(recipients.map(\.json)).jsonText
    }

    static func publish(
        appID: String,
        publishID: String,
        recipients: String,
        payload: String,
        idempotencyKey: String?,
        fingerprint: String,
        createdAtMs: Int64,
        expiresAtMs: Int64
    ) throws(PushStoreError) -> PushPublish {
        let list = try json(recipients, "recipients").arrayValue ?? []
        let parsed = list.compactMap(PushRecipient.init(storedJSON:))
        guard parsed.count == list.count else { throw PushStoreError("publish \(publishID) has unreadable recipients") }
        return PushPublish(
            appID: appID,
            publishID: publishID,
            recipients: parsed,
            payload: PushPayload(storedJSON: try json(payload, "payload")),
            idempotencyKey: idempotencyKey,
            fingerprint: fingerprint,
            createdAtMs: createdAtMs,
            expiresAtMs: expiresAtMs
        )
    }

    static func publishState(_ text: String) throws(PushStoreError) -> PublishState {
        guard let state = PublishState(rawValue: text) else { throw PushStoreError("unknown publish state \(text)") }
        return state
    }

    static func recipient(
        deviceID: String,
        platform: String,
        state: String,
        via: String?,
        error: String?,
        detail: String?,
        attempts: Int
    ) throws(PushStoreError) -> RecipientDelivery {
        guard let recipientState = RecipientState(rawValue: state) else {
            throw PushStoreError("unknown recipient state \(state)")
        }
        return RecipientDelivery(
            deviceID: deviceID,
            platform: try self.platform(platform),
            state: recipientState,
            via: via,
            error: error,
            detail: detail,
            attempts: attempts
        )
    }

    static func credential(
        appID: String,
        provider: String,
        version: Int,
        credential: String,
        updatedAtMs: Int64
    ) throws(PushStoreError) -> StoredCredential {
        guard let name = PushProviderName(rawValue: provider),
            let value = PushCredential(storedJSON: try json(credential, "credential"), provider: name)
        else { throw PushStoreError("an unreadable \(provider) credential") }
        return StoredCredential(appID: appID, credential: value, version: version, updatedAtMs: updatedAtMs)
    }

    /// The outcomes without repeats of a recipient: the first of each is the one recorded.
    static func firstOutcomes(_ outcomes: [DeliveryOutcome]) -> [DeliveryOutcome] {
        var seen: Set<RecipientKey> = []
        return outcomes.filter {
            seen.insert(RecipientKey(publish: $0.publish, deviceID: $0.delivery.deviceID)).inserted
        }
    }

    private struct RecipientKey: Hashable {
        var publish: PublishRef
        var deviceID: String
    }

    private static func json(_ text: String, _ what: String) throws(PushStoreError) -> JSONValue {
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw PushStoreError("unreadable \(what) JSON: \(error)")
        }
    }
}
