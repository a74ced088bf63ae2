public import ChorusPush
import Synchronization

/// Devices, subscriptions, credentials and publishes in memory, behind one lock: the
/// `driver: memory` push store (tests, benchmarks).
///
/// Each call runs whole under the lock, so each is atomic and calls are serialized; nothing
/// survives the process.
public final class MemoryPushStore: PushStore {
    struct Publish {
        var publish: PushPublish
        var state: PublishState
        var recipients: [String: RecipientDelivery]
    }

    struct State {
        /// By app, then device id.
        var devices: [String: [String: DeviceRegistration]] = [:]
        /// By app; absent ids are nil.
        var subscriptions: [String: Set<ChannelSubscription>] = [:]
        /// By app and provider, oldest version first.
        var credentials: [String: [PushProviderName: [StoredCredential]]] = [:]
        var publishes: [PublishRef: Publish] = [:]

        /// The app's devices, those of `clientID` only when given, by device id.
        func devices(appID: String, clientID: String?) -> [DeviceRegistration] {
            (devices[appID] ?? [:]).values.filter { clientID == nil || $0.clientID == clientID }
                .sorted { $0.deviceID < $1.deviceID }
        }

        mutating func deleteDevice(appID: String, deviceID: String) -> Bool {
            guard devices[appID]?.removeValue(forKey: deviceID) != nil else { return false }
            subscriptions[appID] = subscriptions[appID]?.filter { $0.deviceID != deviceID }
            return true
        }
    }

    let state = Mutex(State())

    public init() {}

    public func register(_ device: DeviceRegistration) async throws(PushStoreError) -> RegistrationChange {
        state.withLock { state in
            let old = state.devices[device.appID, default: [:]].updateValue(device, forKey: device.deviceID)
            guard let old else { return .created }
            guard !old.registersSame(as: device) else {
                state.devices[device.appID]?[device.deviceID] = old
                return .unchanged
            }
            return .updated
        }
    }

    public func device(appID: String, deviceID: String) async throws(PushStoreError) -> DeviceRegistration? {
        state.withLock { $0.devices[appID]?[deviceID] }
    }

    public func devices(
        appID: String,
        clientID: String?,
        after: String?,
        limit: Int
    ) async throws(PushStoreError) -> [DeviceRegistration] {
        state.withLock { state in
            Array(
                state.devices(appID: appID, clientID: clientID).filter { after.map($0.deviceID.isAfter) ?? true }
                    .prefix(max(limit, 0))
            )
        }
    }

    public func deleteDevice(appID: String, deviceID: String) async throws(PushStoreError) -> Bool {
        state.withLock { $0.deleteDevice(appID: appID, deviceID: deviceID) }
    }

    public func deleteDevices(appID: String, clientID: String) async throws(PushStoreError) -> Int {
        state.withLock { state in
            let devices = state.devices(appID: appID, clientID: clientID)
            for device in devices {
                _ = state.deleteDevice(appID: appID, deviceID: device.deviceID)
            }
            return devices.count
        }
    }

    public func subscribe(_ subscription: ChannelSubscription) async throws(PushStoreError) -> Bool {
        state.withLock { state in
            var subscription = subscription
            subscription.deviceID = subscription.deviceID.flatMap { $0.isEmpty ? nil : $0 }
            subscription.clientID = subscription.clientID.flatMap { $0.isEmpty ? nil : $0 }
            if let deviceID = subscription.deviceID, state.devices[subscription.appID]?[deviceID] == nil {
                return false
            }
            state.subscriptions[subscription.appID, default: []].insert(subscription)
            return true
        }
    }

    public func subscriptions(
        _ filter: SubscriptionFilter,
        after: ChannelSubscription?,
        limit: Int
    ) async throws(PushStoreError) -> [ChannelSubscription] {
        state.withLock { state in
            let matching = (state.subscriptions[filter.appID] ?? []).filter { filter.matches($0) }
                .sorted { $0.pageKey.lexicographicallyPrecedes($1.pageKey) }
            let page = matching.filter { subscription in
                after.map { $0.pageKey.lexicographicallyPrecedes(subscription.pageKey) } ?? true
            }
            return Array(page.prefix(max(limit, 0)))
        }
    }

    public func unsubscribe(_ filter: SubscriptionFilter) async throws(PushStoreError) -> Int {
        state.withLock { state in
            let all = state.subscriptions[filter.appID] ?? []
            let kept = all.filter { !filter.matches($0) }
            state.subscriptions[filter.appID] = kept
            return all.count - kept.count
        }
    }

    public func subscribedChannels(
        appID: String,
        after: String?,
        limit: Int
    ) async throws(PushStoreError) -> [String] {
        state.withLock { state in
            let channels = Set((state.subscriptions[appID] ?? []).map(\.channel)).sorted()
            return Array(channels.filter { after.map($0.isAfter) ?? true }.prefix(max(limit, 0)))
        }
    }

    public func putCredential(
        appID: String,
        credential: PushCredential,
        atMs: Int64
    ) async throws(PushStoreError) -> StoredCredential {
        state.withLock { state in
            var versions = state.credentials[appID]?[credential.provider] ?? []
            let stored = StoredCredential(
                appID: appID,
                credential: credential,
                version: (versions.last?.version ?? 0) + 1,
                updatedAtMs: atMs
            )
            versions.append(stored)
            state.credentials[appID, default: [:]][credential.provider] = versions
            return stored
        }
    }

    public func credentials(appID: String) async throws(PushStoreError) -> [StoredCredential] {
        state.withLock { state in
            (state.credentials[appID] ?? [:]).sorted { $0.key.rawValue < $1.key.rawValue }.compactMap(\.value.last)
        }
    }

    public func close() async {}
}

extension SubscriptionFilter {
    /// Whether every field the filter sets matches the subscription.
    func matches(_ subscription: ChannelSubscription) -> Bool {
        subscription.appID == appID && (channel == nil || subscription.channel == channel)
            && (deviceID == nil || subscription.deviceID == deviceID)
            && (clientID == nil || subscription.clientID == clientID)
    }
}

extension ChannelSubscription {
    /// The list order: (channel, device id, client id), an absent id first.
    var pageKey: [String] { [channel, deviceID ?? "", clientID ?? ""] }
}

extension String {
    /// Whether the string sorts after `key`: on the page that `key` ends.
    func isAfter(_ key: String) -> Bool { key < self }
}
