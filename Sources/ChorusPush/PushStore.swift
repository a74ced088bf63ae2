/// Where devices, channel subscriptions, credentials and publishes are kept.
///
/// Backends (`ChorusStorage`): memory, SQLite, PostgreSQL. Every method is atomic: it applies
/// completely or throws ``PushStoreError`` having applied nothing (a 5xx to the API, which the SDKs
/// retry). Writes are durable when the method returns. Lists are ordered by their key and paged
/// with `after` (the last key of the previous page, exclusive).
public protocol PushStore: Sendable {
    /// Creates or replaces the registration of `device.deviceID`. A re-registration that changes
    /// the platform or token keeps the device's subscriptions.
    func register(_ device: DeviceRegistration) async throws(PushStoreError) -> RegistrationChange

    func device(appID: String, deviceID: String) async throws(PushStoreError) -> DeviceRegistration?

    /// An app's devices by device id, those of `clientID` only when given; `limit` at most.
    func devices(
        appID: String,
        clientID: String?,
        after: String?,
        limit: Int
    ) async throws(PushStoreError) -> [DeviceRegistration]

    /// Removes the device and its channel subscriptions; false when there was none.
    func deleteDevice(appID: String, deviceID: String) async throws(PushStoreError) -> Bool

    /// Removes every device of the client (and their subscriptions); how many went.
    func deleteDevices(appID: String, clientID: String) async throws(PushStoreError) -> Int

    /// Adds the subscription (a repeat changes nothing); false, and nothing stored, when it names
    /// a device that is not registered.
    func subscribe(_ subscription: ChannelSubscription) async throws(PushStoreError) -> Bool

    /// The subscriptions that match, ordered by (channel, device id, client id); `after` is the
    /// last subscription of the previous page.
    func subscriptions(
        _ filter: SubscriptionFilter,
        after: ChannelSubscription?,
        limit: Int
    ) async throws(PushStoreError) -> [ChannelSubscription]

    /// Removes the subscriptions that match; how many went.
    func unsubscribe(_ filter: SubscriptionFilter) async throws(PushStoreError) -> Int

    /// The channels with at least one subscription, in order.
    func subscribedChannels(appID: String, after: String?, limit: Int) async throws(PushStoreError) -> [String]

    /// Stores the credential as its provider's next version; returns it as stored.
    func putCredential(
        appID: String,
        credential: PushCredential,
        atMs: Int64
    ) async throws(PushStoreError) -> StoredCredential

    /// The app's newest credential of each provider.
    func credentials(appID: String) async throws(PushStoreError) -> [StoredCredential]

    /// Admits a publish atomically: checks its idempotency key against the app's publishes since
    /// `idempotencySinceMs`, resolves its recipients to the de-duplicated set of registered
    /// devices (as ``RecipientDelivery/pending``) and stores both.
    func admit(_ publish: PushPublish, idempotencySinceMs: Int64) async throws(PushStoreError) -> Admission

    /// A publish with its recipients; nil when the app has none with that id.
    func status(appID: String, publishID: String) async throws(PushStoreError) -> PublishStatus?

    /// Up to `limit` pending recipients of the publish with the device's current token, ordered by
    /// device id after `after`. A recipient whose device was deleted since comes with a nil token.
    func pendingDeliveries(
        appID: String,
        publishID: String,
        after: String?,
        limit: Int
    ) async throws(PushStoreError) -> [PendingDelivery]

    /// Marks the publish `dispatching` (if it was `accepted`).
    func startDispatch(appID: String, publishID: String) async throws(PushStoreError)

    /// Records terminal outcomes in one transaction: each recipient takes its state, `via`, `error`,
    /// `detail` and `attempts`; devices with `removeDevice` are deleted (with their subscriptions);
    /// when no recipient of a publish is left pending, the publish takes its terminal state.
    /// A recipient that is already terminal keeps its first outcome.
    func record(_ outcomes: [DeliveryOutcome]) async throws(PushStoreError)

    /// The publishes of every app that are not terminal, oldest first: what a restart resumes.
    func unfinishedPublishes() async throws(PushStoreError) -> [PublishRef]

    /// Forgets terminal publishes created before `beforeMs` (their idempotency keys with them).
    func trimPublishes(beforeMs: Int64) async throws(PushStoreError) -> Int

    /// Finishes pending writes and releases the backend.
    func close() async
}

/// A backend failure: nothing was applied.
public struct PushStoreError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// What ``PushStore/admit(_:idempotencySinceMs:)`` did.
public enum Admission: Sendable, Hashable {
    /// Stored with this many planned recipients.
    case accepted(plannedRecipients: Int)
    /// The key was used with the same body: that publish and its planned count, nothing stored.
    case duplicate(PushPublish, plannedRecipients: Int)
    /// The key was used with another body: nothing stored.
    case conflict
}

/// A publish by its app and id.
public struct PublishRef: Sendable, Hashable {
    public var appID: String
    public var publishID: String

    public init(appID: String, publishID: String) {
        self.appID = appID
        self.publishID = publishID
    }
}

/// A pending recipient with what a provider needs to reach it now.
public struct PendingDelivery: Sendable, Hashable {
    public var deviceID: String
    public var platform: PushPlatform
    /// nil when the device was deleted after the publish was admitted.
    public var token: ProviderToken?

    public init(deviceID: String, platform: PushPlatform, token: ProviderToken?) {
        self.deviceID = deviceID
        self.platform = platform
        self.token = token
    }
}

/// How one recipient of a publish ended.
public struct DeliveryOutcome: Sendable, Hashable {
    public var publish: PublishRef
    public var delivery: RecipientDelivery
    /// The provider said the device is gone (410, `Unregistered`, `BadDeviceToken`, `UNREGISTERED`).
    public var removeDevice: Bool

    public init(publish: PublishRef, delivery: RecipientDelivery, removeDevice: Bool = false) {
        self.publish = publish
        self.delivery = delivery
        self.removeDevice = removeDevice
    }
}
