import ChorusHistory
import ChorusProtocol
import Logging
import NIOCore
import NIOHTTP1

extension PusherAPI {
    /// `GET /apps/{id}/channels/{ch}/history`: one page of the channel's retained messages, each in
    /// its latest visible state, with a signed `next_cursor` while more remain.
    func history(_ channel: String, _ call: Call) throws(APIError) -> HTTPReply {
        let ref = try historyChannel(channel, call)
        let page: PageQuery
        let bounds: HistoryBounds
        var after: Int64?
        let signer = server.history.cursorSigner(call.app)
        do throws(HistoryRequestError) {
            page = try PageQuery(parameters: call.query, maxPageSize: call.app.history.maxPageSize)
            bounds = try HistoryBounds(parameters: call.query)
            if let cursor = page.cursor {
                after = try HistoryCursor.position(
                    of: cursor,
                    signer: signer,
                    channel: ref,
                    scope: .history(bounds),
                    direction: page.direction
                )
            }
        } catch {
            throw APIError(error)
        }
        let request = HistoryPageRequest(channel: ref, page: page, bounds: bounds, after: after)
        let cursorPosition = after
        let store = server.history.store
        return storeReply { () async throws(HistoryStoreError) -> HTTPResponse in
            let result = try await store.history(request)
            // Expired when the message the page would start with was removed by retention.
            if let cursorPosition,
                cursorPosition + (page.direction == .newestFirst ? -1 : 1) < result.oldestRetained ?? Int64.max
            {
                let expired = HistoryRequestError(
                    .cursorExpired,
                    "Retention removed the messages this cursor leads to; start again without a cursor"
                )
                return APIError(expired).response
            }
            let next = result.items.last.flatMap { last in
                result.hasMore
                    ? HistoryCursor(
                        channel: ref,
                        scope: .history(bounds),
                        direction: page.direction,
                        position: last.historySerial
                    )
                    .encoded(signer: signer) : nil
            }
            let body: JSONValue = [
                "items": .array(result.items.map(\.historyItem)),
                "direction": .string(page.direction.rawValue),
                "limit": .integer(Int64(page.limit)),
                "has_more": .bool(next != nil),
                "next_cursor": next.map(JSONValue.string) ?? .null,
            ]
            return .json(.ok, body.jsonText)
        }
    }

    /// The channel of this app that `channel` names, when it keeps history; otherwise 403
    /// `feature_disabled` (history, messages and annotations alike).
    func historyChannel(_ channel: String, _ call: Call) throws(APIError) -> ChannelRef {
        guard call.app.history.retains(channel) else { throw .historyDisabled(channel) }
        return ChannelRef(appID: call.app.id, channel: channel)
    }

    /// A reply that waits for `work` against the store; a store failure is a 503 (nothing applied).
    func storeReply(_ work: @escaping @Sendable () async throws(HistoryStoreError) -> HTTPResponse) -> HTTPReply {
        let logger = server.logger
        return .later {
            do {
                return try await work()
            } catch {
                logger.error("history store failed", metadata: ["error": .string("\(error)")])
                return APIError.storeFailed(error).response
            }
        }
    }
}

extension APIError {
    /// A history, message or annotation request that breaks a rule: 400 with the rule's code.
    init(_ error: HistoryRequestError) {
        self = .badRequest(error.message, code: error.code.rawValue)
    }

    /// No message `serial` on the channel.
    static func messageNotFound(_ serial: String) -> APIError {
        .notFound("No message \(serial) on this channel", code: "message_not_found")
    }
}
