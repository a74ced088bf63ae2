import ChorusHistory
import ChorusProtocol
import Logging
import NIOCore

extension PusherAPI {
    /// A publish of one event to one channel that keeps history.
    struct RetainedEvent: Sendable {
        /// The event's index among those published.
        var eventIndex: Int
        var publish: RetainedPublish

        var channel: String { publish.channel.channel }
    }

    /// The publishes of `events` to retain: one per event and channel that keeps history, in
    /// publish order, each with a fresh message serial.
    func retainedPublishes(of events: [EventRequest], _ call: Call) -> [RetainedEvent] {
        let settings = call.app.history
        guard settings.enabled else { return [] }
        var retained: [RetainedEvent] = []
        for (index, event) in events.enumerated() {
            for channel in event.channels where settings.retains(channel) {
                let (serial, timestampMs) = server.history.serials.next()
                let publish = RetainedPublish(
                    channel: ChannelRef(appID: call.app.id, channel: channel),
                    messageSerial: serial,
                    name: event.name,
                    data: event.data,
                    publishedAtMs: timestampMs
                )
                retained.append(RetainedEvent(eventIndex: index, publish: publish))
            }
        }
        return retained
    }

    /// Appends `retained` to the store and answers with `respond` once it committed; a store
    /// failure is a 503 (nothing retained; the fan-out has already happened). The first answer to
    /// `idempotencyKey` becomes the committed one, or is forgotten when the store failed.
    func appending(
        _ retained: [RetainedEvent],
        idempotencyKey: String?,
        _ call: Call,
        respond: @escaping @Sendable ([(RetainedEvent, Int64)]) -> HTTPResponse
    ) -> HTTPReply {
        let store = server.history.store
        let idempotency = server.idempotency
        let logger = server.logger
        let appID = call.app.id
        return .later {
            do {
                let serials = try await store.append(retained.map(\.publish))
                let response = respond(Array(zip(retained, serials)))
                if let idempotencyKey { idempotency.settle(idempotencyKey, appID: appID, response: response) }
                return response
            } catch {
                if let idempotencyKey { idempotency.settle(idempotencyKey, appID: appID, response: nil) }
                logger.error("history append failed", metadata: ["error": .string("\(error)")])
                return APIError.storeFailed(error).response
            }
        }
    }

    /// `message_serial` and `history_serial` of a retained publish, for a publish's answer.
    static func serialMembers(_ retained: RetainedEvent, _ historySerial: Int64) -> [String: JSONValue] {
        ["message_serial": .string(retained.publish.messageSerial), "history_serial": .integer(historySerial)]
    }
}
