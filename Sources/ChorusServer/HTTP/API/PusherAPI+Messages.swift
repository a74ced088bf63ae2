import ChorusCore
import ChorusHistory
import ChorusProtocol
import NIOHTTP1

extension PusherAPI {
    /// `GET …/channels/{ch}/messages/{serial}`: `{"channel","item":MO}`, the latest visible state.
    func message(_ serial: String, channel: String, _ call: Call) throws(APIError) -> HTTPReply {
        let ref = try historyChannel(channel, call)
        let store = server.history.store
        return storeReply { () async throws(HistoryStoreError) -> HTTPResponse in
            guard let message = try await store.message(ref, serial: serial) else {
                return APIError.messageNotFound(serial).response
            }
            let body: JSONValue = ["channel": .string(channel), "item": message.messageObject]
            return .json(.ok, body.jsonText)
        }
    }

    /// `GET …/messages/{serial}/versions`: a page of the message's versions, the create included.
    func versions(_ serial: String, channel: String, _ call: Call) throws(APIError) -> HTTPReply {
        let ref = try historyChannel(channel, call)
        let page: PageQuery
        var after: Int?
        let signer = server.history.cursorSigner(call.app)
        let scope = HistoryCursor.Scope.versions(messageSerial: serial)
        do throws(HistoryRequestError) {
            page = try PageQuery(parameters: call.query, maxPageSize: call.app.history.maxPageSize)
            if let cursor = page.cursor {
                let position = try HistoryCursor.position(
                    of: cursor,
                    signer: signer,
                    channel: ref,
                    scope: scope,
                    direction: page.direction
                )
                after = Int(exactly: position)
            }
        } catch {
            throw APIError(error)
        }
        let request = VersionPageRequest(direction: page.direction, limit: page.limit, after: after)
        let store = server.history.store
        return storeReply { () async throws(HistoryStoreError) -> HTTPResponse in
            guard let result = try await store.versions(ref, messageSerial: serial, page: request) else {
                return APIError.messageNotFound(serial).response
            }
            let next = result.items.last.flatMap { last in
                result.hasMore
                    ? HistoryCursor(
                        channel: ref,
                        scope: scope,
                        direction: page.direction,
                        position: Int64(last.versionNumber)
                    ).encoded(signer: signer) : nil
            }
            let body: JSONValue = [
                "channel": .string(channel),
                "direction": .string(page.direction.rawValue),
                "limit": .integer(Int64(page.limit)),
                "has_more": .bool(next != nil),
                "next_cursor": next.map(JSONValue.string) ?? .null,
                "items": .array(result.items.map(\.messageObject)),
            ]
            return .json(.ok, body.jsonText)
        }
    }

    /// `POST …/messages/{serial}/update|delete|append`: applies the mutation atomically with its
    /// idempotency check, then sends `sockudo:message.<action>` to the channel's subscribers
    /// (except the `socket_id` connection).
    func mutate(_ serial: String, channel: String, action: MessageAction, _ call: Call) throws(APIError) -> HTTPReply {
        let ref = try historyChannel(channel, call)
        let json = try call.jsonOrEmptyObject()
        let request: MutationRequest
        do throws(HistoryRequestError) {
            request = try MutationRequest(action: action, json: json)
        } catch {
            throw APIError(error)
        }
        try checkSize(of: request.data, call)
        let (versionSerial, timestampMs) = server.history.serials.next()
        let mutation = request.mutation(
            channel: ref,
            messageSerial: serial,
            versionSerial: versionSerial,
            timestampMs: timestampMs
        )
        let excludingSocketID = request.socketID
        let store = server.history.store
        let server = server
        let app = call.app
        return storeReply { () async throws(HistoryStoreError) -> HTTPResponse in
            switch try await store.mutate(mutation) {
            case .applied(let effect):
                server.publish(
                    [Self.liveEvent(effect.version)],
                    app: app,
                    excludingSocketID: excludingSocketID,
                    kind: .history
                )
                return Self.mutationAnswer(effect.version, action: action, status: "applied")
            case .duplicate(let version):
                return Self.mutationAnswer(version, action: action, status: "duplicate")
            case .conflict:
                return APIError.badRequest(
                    "This idempotency key was used for another \(action.rawValue) of this message",
                    code: "idempotency_conflict"
                ).response
            case .messageNotFound:
                return APIError.messageNotFound(serial).response
            }
        }
    }

    /// A mutation's or annotation's data may be as large as a published event's (413 beyond).
    func checkSize(of data: String?, _ call: Call) throws(APIError) {
        let limit = call.app.maxEventPayloadInKB * 1024
        if let data, data.utf8.count > limit {
            throw .payloadTooLarge("data is \(data.utf8.count) bytes, over max_event_payload_in_kb (\(limit) bytes)")
        }
    }

    /// The connection `socketID` names, which a live event skips.
    /// `sockudo:message.<action>` with the version's message object as its data.
    static func liveEvent(_ version: StoredMessage) -> EventPublisher.Event {
        EventPublisher.Event(
            name: StoredMessage.liveEventName(version.action),
            channels: [version.channel.channel],
            data: .string(version.messageObject.jsonText),
            delta: false
        )
    }

    private static func mutationAnswer(_ version: StoredMessage, action: MessageAction, status: String) -> HTTPResponse
    {
        let body: JSONValue = [
            "channel": .string(version.channel.channel),
            "message_serial": .string(version.messageSerial),
            "action": .string(action.rawValue),
            "accepted": true,
            "version_serial": .string(version.version.serial),
            "history_serial": .integer(version.historySerial),
            "status": .string(status),
        ]
        return .json(.ok, body.jsonText)
    }
}
