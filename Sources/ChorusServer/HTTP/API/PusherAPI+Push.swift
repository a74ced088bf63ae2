import ChorusProtocol
import ChorusPush
import Logging
import NIOHTTP1

extension PusherAPI {
    /// A `…/push/…` request of an app with push on (otherwise 403 `feature_disabled`).
    func push(_ route: PushRoute, _ call: Call) throws(APIError) -> HTTPReply {
        guard call.app.push.enabled else { throw .pushDisabled }
        do throws(PushRequestError) {
            switch route {
            case .registerDevice: return try registerDevice(call)
            case .listDevices: return try listDevices(call)
            case .deleteDevices: return try deleteDevices(call)
            case .device(let id): return device(id, call)
            case .deleteDevice(let id): return deleteDevice(id, call)
            case .subscribe: return try subscribe(call)
            case .listSubscriptions: return try listSubscriptions(call)
            case .unsubscribe: return try unsubscribe(call)
            case .subscribedChannels: return try subscribedChannels(call)
            case .putCredential(let provider): return try putCredential(provider, call)
            case .listCredentials: return listCredentials(call)
            case .publish: return try publishPush(call)
            case .publishStatus(let id): return publishStatus(id, call)
            }
        } catch {
            throw APIError(error)
        }
    }

    /// A reply that waits for `work` against the push store; a store failure is a 503 (nothing
    /// applied, so the SDK's retry is safe).
    func pushReply(_ work: @escaping @Sendable () async throws(PushStoreError) -> HTTPResponse) -> HTTPReply {
        let logger = server.logger
        return .later {
            do throws(PushStoreError) {
                return try await work()
            } catch {
                logger.error("push store failed", metadata: ["error": .string("\(error)")])
                return APIError.pushStoreFailed(error).response
            }
        }
    }

    private func registerDevice(_ call: Call) throws(PushRequestError) -> HTTPReply {
        let device = try DeviceRegistration(request: try json(call), appID: call.app.id, nowMs: PushService.nowMs())
        let store = server.push.store
        return pushReply { () async throws(PushStoreError) -> HTTPResponse in
            let change = try await store.register(device)
            var body = device.json.objectValue ?? [:]
            body["change"] = .string(change.rawValue)
            return .json(.created, JSONValue.object(body).jsonText)
        }
    }

    private func listDevices(_ call: Call) throws(PushRequestError) -> HTTPReply {
        let position = try ListPosition(query: call.query)
        let clientID = try PushFields(query: call.query).string("client_id")
        let store = server.push.store
        let appID = call.app.id
        return pushReply { () async throws(PushStoreError) -> HTTPResponse in
            let devices = try await store.devices(
                appID: appID,
                clientID: clientID,
                after: position.after?.first,
                limit: position.limit + 1
            )
            return .list(devices, limit: position.limit, item: \.json) { [$0.deviceID] }
        }
    }

    private func deleteDevices(_ call: Call) throws(PushRequestError) -> HTTPReply {
        guard let clientID = try PushFields(query: call.query).string("client_id") else {
            throw PushRequestError(
                .missingFilter,
                "Deleting devices needs ?client_id (one device: DELETE …/{device_id})"
            )
        }
        let store = server.push.store
        let appID = call.app.id
        return pushReply { () async throws(PushStoreError) -> HTTPResponse in
            let deleted = try await store.deleteDevices(appID: appID, clientID: clientID)
            return .json(.ok, JSONValue.object(["deleted": .integer(Int64(deleted))]).jsonText)
        }
    }

    private func device(_ deviceID: String, _ call: Call) -> HTTPReply {
        let store = server.push.store
        let appID = call.app.id
        return pushReply { () async throws(PushStoreError) -> HTTPResponse in
            guard let device = try await store.device(appID: appID, deviceID: deviceID) else {
                return APIError.deviceNotFound(deviceID).response
            }
            return .json(.ok, device.json.jsonText)
        }
    }

    private func deleteDevice(_ deviceID: String, _ call: Call) -> HTTPReply {
        let store = server.push.store
        let appID = call.app.id
        return pushReply { () async throws(PushStoreError) -> HTTPResponse in
            guard try await store.deleteDevice(appID: appID, deviceID: deviceID) else {
                return APIError.deviceNotFound(deviceID).response
            }
            return HTTPResponse(status: .noContent)
        }
    }

    private func subscribe(_ call: Call) throws(PushRequestError) -> HTTPReply {
        let subscription = try ChannelSubscription(request: try json(call), appID: call.app.id)
        let store = server.push.store
        return pushReply { () async throws(PushStoreError) -> HTTPResponse in
            guard try await store.subscribe(subscription) else {
                return APIError.deviceNotFound(subscription.deviceID ?? "").response
            }
            return .json(.created, subscription.json.jsonText)
        }
    }

    private func listSubscriptions(_ call: Call) throws(PushRequestError) -> HTTPReply {
        let position = try ListPosition(query: call.query)
        let filter = try SubscriptionFilter(query: call.query, appID: call.app.id)
        let after = try position.after.map { key throws(PushRequestError) in
            guard key.count == 3 else {
                throw PushRequestError(.invalidCursor, "cursor is not a next_cursor of this list")
            }
            return ChannelSubscription(
                appID: filter.appID,
                channel: key[0],
                deviceID: key[1].isEmpty ? nil : key[1],
                clientID: key[2].isEmpty ? nil : key[2]
            )
        }
        let store = server.push.store
        return pushReply { () async throws(PushStoreError) -> HTTPResponse in
            let subscriptions = try await store.subscriptions(filter, after: after, limit: position.limit + 1)
            return .list(subscriptions, limit: position.limit, item: \.json) {
                [$0.channel, $0.deviceID ?? "", $0.clientID ?? ""]
            }
        }
    }

    private func unsubscribe(_ call: Call) throws(PushRequestError) -> HTTPReply {
        let filter = try SubscriptionFilter(query: call.query, appID: call.app.id)
        guard !filter.isEmpty else {
            throw PushRequestError(.missingFilter, "Deleting subscriptions needs ?channel, ?device_id or ?client_id")
        }
        let store = server.push.store
        return pushReply { () async throws(PushStoreError) -> HTTPResponse in
            let deleted = try await store.unsubscribe(filter)
            return .json(.ok, JSONValue.object(["deleted": .integer(Int64(deleted))]).jsonText)
        }
    }

    private func subscribedChannels(_ call: Call) throws(PushRequestError) -> HTTPReply {
        let position = try ListPosition(query: call.query)
        let store = server.push.store
        let appID = call.app.id
        return pushReply { () async throws(PushStoreError) -> HTTPResponse in
            let channels = try await store.subscribedChannels(
                appID: appID,
                after: position.after?.first,
                limit: position.limit + 1
            )
            return .list(channels, limit: position.limit, item: JSONValue.string) { [$0] }
        }
    }

    private func putCredential(_ providerName: String, _ call: Call) throws(PushRequestError) -> HTTPReply {
        guard let provider = PushProviderName(rawValue: providerName) else {
            throw PushRequestError(.unknownProvider, "The provider must be apns, fcm or webpush, not \(providerName)")
        }
        let credential = try PushCredential(request: try json(call), provider: provider)
        let store = server.push.store
        let appID = call.app.id
        let logger = server.logger
        return pushReply { () async throws(PushStoreError) -> HTTPResponse in
            let stored = try await store.putCredential(appID: appID, credential: credential, atMs: PushService.nowMs())
            logger.info(
                "push credential stored",
                metadata: [
                    "app_id": .string(appID), "provider": .string(provider.rawValue),
                    "version": .stringConvertible(stored.version),
                ]
            )
            return .json(.created, stored.redactedJSON.jsonText)
        }
    }

    private func listCredentials(_ call: Call) -> HTTPReply {
        let store = server.push.store
        let appID = call.app.id
        return pushReply { () async throws(PushStoreError) -> HTTPResponse in
            let credentials = try await store.credentials(appID: appID)
                .sorted { $0.credential.provider.rawValue < $1.credential.provider.rawValue }
            return .json(.ok, JSONValue.object(["items": .array(credentials.map(\.redactedJSON))]).jsonText)
        }
    }

    /// The body as JSON; a 400 when it is not.
    func json(_ call: Call) throws(PushRequestError) -> JSONValue {
        do {
            return try call.json()
        } catch {
            throw PushRequestError(.invalidBody, error.message)
        }
    }
}

extension HTTPResponse {
    /// A page of a push list: `{"items","next_cursor","has_more"}` from `limit + 1` fetched items.
    fileprivate static func list<Item>(
        _ fetched: [Item],
        limit: Int,
        item: (Item) -> JSONValue,
        key: (Item) -> [String]
    ) -> HTTPResponse {
        let page = fetched.prefix(limit)
        let next = fetched.count > limit ? page.last.map { ListPosition.cursor(after: key($0)) } : nil
        let body: JSONValue = [
            "items": .array(page.map(item)),
            "next_cursor": next.map(JSONValue.string) ?? .null,
            "has_more": .bool(next != nil),
        ]
        return .json(.ok, body.jsonText)
    }
}

extension APIError {
    /// A push request that breaks a rule: 400 with the rule's code.
    init(_ error: PushRequestError) {
        self = .badRequest(error.message, code: error.code.rawValue)
    }

    /// Push is off for the app.
    static let pushDisabled = APIError(
        status: .forbidden,
        code: "feature_disabled",
        message: "Push notifications are not enabled for this app"
    )

    /// The push store failed: nothing was applied, a retry may succeed.
    static func pushStoreFailed(_ error: PushStoreError) -> APIError {
        APIError(
            status: .serviceUnavailable,
            code: "push_store_unavailable",
            message: "The push store failed and nothing was applied; retry: \(error)"
        )
    }

    static func deviceNotFound(_ deviceID: String) -> APIError {
        .notFound("No device \(deviceID) is registered", code: "device_not_found")
    }
}
