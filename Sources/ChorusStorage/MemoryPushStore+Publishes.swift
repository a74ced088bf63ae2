public import ChorusPush
import Synchronization

extension MemoryPushStore {
    public func admit(_ publish: PushPublish, idempotencySinceMs: Int64) async throws(PushStoreError) -> Admission {
        try state.withLock { (state) throws(PushStoreError) -> Admission in
            if let key = publish.idempotencyKey,
                let earlier = state.publishes.values.filter({
                    $0.publish.appID == publish.appID && $0.publish.idempotencyKey == key
                        && $0.publish.createdAtMs >= idempotencySinceMs
                }).max(by: { $0.publish.createdAtMs < $1.publish.createdAtMs })
            {
                guard earlier.publish.fingerprint == publish.fingerprint else { return .conflict }
                return .duplicate(earlier.publish, plannedRecipients: earlier.recipients.count)
            }
            let ref = PublishRef(appID: publish.appID, publishID: publish.publishID)
            guard state.publishes[ref] == nil else {
                throw PushStoreError("admit: publish \(publish.publishID) exists")
            }
            let devices = state.resolve(publish.recipients, appID: publish.appID)
            state.publishes[ref] = Publish(
                publish: publish,
                state: devices.isEmpty ? .succeeded : .accepted,
                recipients: Dictionary(
                    uniqueKeysWithValues: devices.map {
                        ($0.deviceID, RecipientDelivery(deviceID: $0.deviceID, platform: $0.platform))
                    }
                )
            )
            return .accepted(plannedRecipients: devices.count)
        }
    }

    public func status(appID: String, publishID: String) async throws(PushStoreError) -> PublishStatus? {
        state.withLock { state in
            state.publishes[PublishRef(appID: appID, publishID: publishID)].map {
                PublishStatus(
                    publish: $0.publish,
                    state: $0.state,
                    recipients: $0.recipients.values.sorted { $0.deviceID < $1.deviceID }
                )
            }
        }
    }

    public func pendingDeliveries(
        appID: String,
        publishID: String,
        after: String?,
        limit: Int
    ) async throws(PushStoreError) -> [PendingDelivery] {
        state.withLock { state in
            let recipients = state.publishes[PublishRef(appID: appID, publishID: publishID)]?.recipients ?? [:]
            let pending = recipients.values.filter { $0.state == .pending && (after.map($0.deviceID.isAfter) ?? true) }
                .sorted { $0.deviceID < $1.deviceID }.prefix(max(limit, 0))
            return pending.map { recipient in
                // The device as it is now: re-registered elsewhere, or gone.
                let device = state.devices[appID]?[recipient.deviceID]
                return PendingDelivery(
                    deviceID: recipient.deviceID,
                    platform: device?.platform ?? recipient.platform,
                    token: device?.token
                )
            }
        }
    }

    public func startDispatch(appID: String, publishID: String) async throws(PushStoreError) {
        state.withLock { state in
            let ref = PublishRef(appID: appID, publishID: publishID)
            if state.publishes[ref]?.state == .accepted {
                state.publishes[ref]?.state = .dispatching
            }
        }
    }

    public func record(_ outcomes: [DeliveryOutcome]) async throws(PushStoreError) {
        state.withLock { state in
            var affected: Set<PublishRef> = []
            for outcome in outcomes {
                let ref = outcome.publish
                let deviceID = outcome.delivery.deviceID
                if state.publishes[ref]?.recipients[deviceID]?.state == .pending {
                    state.publishes[ref]?.recipients[deviceID] = outcome.delivery
                    affected.insert(ref)
                }
                if outcome.removeDevice {
                    _ = state.deleteDevice(appID: ref.appID, deviceID: deviceID)
                }
            }
            for ref in affected {
                guard let publish = state.publishes[ref], !publish.state.isTerminal else { continue }
                let states = publish.recipients.values.map(\.state)
                guard !states.contains(.pending) else { continue }
                state.publishes[ref]?.state = PublishState.terminal(
                    succeeded: states.count { $0 == .succeeded },
                    failed: states.count { $0 == .failed },
                    expired: states.count { $0 == .expired }
                )
            }
        }
    }

    public func unfinishedPublishes() async throws(PushStoreError) -> [PublishRef] {
        state.withLock { state in
            state.publishes.filter { !$0.value.state.isTerminal }
                .sorted {
                    ($0.value.publish.createdAtMs, $0.key.appID, $0.key.publishID)
                        < ($1.value.publish.createdAtMs, $1.key.appID, $1.key.publishID)
                }
                .map(\.key)
        }
    }

    public func trimPublishes(beforeMs: Int64) async throws(PushStoreError) -> Int {
        state.withLock { state in
            let before = state.publishes.count
            state.publishes = state.publishes.filter {
                !$0.value.state.isTerminal || $0.value.publish.createdAtMs >= beforeMs
            }
            return before - state.publishes.count
        }
    }
}

extension MemoryPushStore.State {
    /// The registered devices the recipients name, each once.
    func resolve(_ recipients: [PushRecipient], appID: String) -> [DeviceRegistration] {
        let registered = devices[appID] ?? [:]
        var chosen: [String: DeviceRegistration] = [:]
        func add(client: String) {
            for device in registered.values where device.clientID == client {
                chosen[device.deviceID] = device
            }
        }
        for recipient in recipients {
            switch recipient {
            case .channel(let channel):
                for subscription in subscriptions[appID] ?? [] where subscription.channel == channel {
                    if let deviceID = subscription.deviceID {
                        chosen[deviceID] = registered[deviceID]
                    } else if let clientID = subscription.clientID {
                        add(client: clientID)
                    }
                }
            case .device(let deviceID):
                chosen[deviceID] = registered[deviceID]
            case .client(let clientID):
                add(client: clientID)
            }
        }
        return Array(chosen.values)
    }
}
