public import ChorusProtocol

/// What a notification says: at least one of the three is set.
public struct PushPayload: Sendable, Hashable {
    public var title: String?
    public var body: String?
    /// App data delivered with the notification (an object).
    public var data: JSONValue?

    public init(title: String? = nil, body: String? = nil, data: JSONValue? = nil) {
        self.title = title
        self.body = body
        self.data = data
    }
}

/// Who a publish is for, as requested; the store resolves each to registered devices.
public enum PushRecipient: Sendable, Hashable {
    /// Every device subscribed to the channel, directly or through its client.
    case channel(String)
    case device(String)
    /// Every device registered with the client id.
    case client(String)
}

/// A publish the API admitted: stored before the 202, dispatched after it.
public struct PushPublish: Sendable, Hashable {
    public var appID: String
    public var publishID: String
    public var recipients: [PushRecipient]
    public var payload: PushPayload
    public var idempotencyKey: String?
    /// A digest of the request body: the same key with another fingerprint is a conflict.
    public var fingerprint: String
    public var createdAtMs: Int64
    /// Recipients not delivered by then end `expired`.
    public var expiresAtMs: Int64

    public init(
        appID: String,
        publishID: String,
        recipients: [PushRecipient],
        payload: PushPayload,
        idempotencyKey: String?,
        fingerprint: String,
        createdAtMs: Int64,
        expiresAtMs: Int64
    ) {
        self.appID = appID
        self.publishID = publishID
        self.recipients = recipients
        self.payload = payload
        self.idempotencyKey = idempotencyKey
        self.fingerprint = fingerprint
        self.createdAtMs = createdAtMs
        self.expiresAtMs = expiresAtMs
    }
}

/// Where a publish stands ([S] labels). `accepted` until dispatch starts, `dispatching` until
/// every recipient is terminal, then one of the terminal states.
public enum PublishState: String, Sendable, Hashable, CaseIterable {
    case accepted
    case planning
    case dispatching
    case succeeded
    case partiallySucceeded = "partially_succeeded"
    case failed
    case expired
    case cancelled

    public var isTerminal: Bool {
        switch self {
        case .accepted, .planning, .dispatching: false
        case .succeeded, .partiallySucceeded, .failed, .expired, .cancelled: true
        }
    }

    /// The terminal state of a publish whose recipients ended so: none planned is a success.
    public static func terminal(succeeded: Int, failed: Int, expired: Int) -> PublishState {
        if failed == 0 && expired == 0 { return .succeeded }
        if succeeded > 0 { return .partiallySucceeded }
        return failed > 0 ? .failed : .expired
    }
}

/// Where one recipient of a publish stands.
public enum RecipientState: String, Sendable, Hashable, CaseIterable {
    case pending
    case succeeded
    case failed
    case expired

    public var isTerminal: Bool { self != .pending }
}

/// One planned recipient of a publish: a device, its state and what happened.
public struct RecipientDelivery: Sendable, Hashable {
    public var deviceID: String
    public var platform: PushPlatform
    public var state: RecipientState
    /// `"log"` when the app's log provider stood in for a missing credential.
    public var via: String?
    /// A stable code when it failed or expired (`no_credentials`, `device_unregistered`, …).
    public var error: String?
    /// The provider's words or the last retry reason, for operators.
    public var detail: String?
    /// How many times a provider was called for it.
    public var attempts: Int

    public init(
        deviceID: String,
        platform: PushPlatform,
        state: RecipientState = .pending,
        via: String? = nil,
        error: String? = nil,
        detail: String? = nil,
        attempts: Int = 0
    ) {
        self.deviceID = deviceID
        self.platform = platform
        self.state = state
        self.via = via
        self.error = error
        self.detail = detail
        self.attempts = attempts
    }
}

/// A publish with its state and every planned recipient, as `…/publish/{id}/status` shows it.
public struct PublishStatus: Sendable, Hashable {
    public var publish: PushPublish
    public var state: PublishState
    public var recipients: [RecipientDelivery]

    public init(publish: PushPublish, state: PublishState, recipients: [RecipientDelivery]) {
        self.publish = publish
        self.state = state
        self.recipients = recipients
    }
}
