package import ChorusProtocol

/// One line of the console's live log: an event published or relayed, a webhook request and its
/// outcome, or a refused subscription.
package struct ConsoleEntry: Sendable, Equatable {
    /// What happened, as the page labels it.
    package enum Kind: String, Sendable {
        /// `POST /apps/{id}/events`.
        case trigger
        /// `POST /apps/{id}/batch_events`.
        case batch
        /// The console's own trigger form.
        case console
        /// The live event of a history message update or an annotation.
        case history
        /// A client event (`client-…`) sent by a connection.
        case clientEvent = "client_event"
        /// An event published on another node of the cluster, as it arrived here.
        case cluster
        /// A webhook request: its events and how the target answered.
        case webhook
        /// A `pusher:subscription_error` sent to a connection.
        case subscriptionError = "subscription_error"
    }

    /// The longest `data` an entry keeps, in characters; the rest is cut.
    package static let maximumDataLength = 512

    package var kind: Kind
    package var channel: String
    package var event: String
    /// Who sent it, the webhook's outcome or the refusal's reason.
    package var detail: String
    /// The event's data (at most ``maximumDataLength`` characters).
    package var data: String
    /// When it was recorded, in milliseconds since 1970.
    package var time: Int64 = 0

    package init(kind: Kind, channel: String, event: String, detail: String = "", data: String = "") {
        self.kind = kind
        self.channel = channel
        self.event = event
        self.detail = detail
        self.data = data.count > Self.maximumDataLength ? String(data.prefix(Self.maximumDataLength)) + "…" : data
    }

    /// An entry for a published event's data, whatever JSON it is.
    package init(kind: Kind, channel: String, event: String, detail: String = "", data: JSONValue) {
        self.init(kind: kind, channel: channel, event: event, detail: detail, data: data.stringValue ?? data.jsonText)
    }

    /// An entry for a client event as its sender sent it.
    package init(clientEvent message: PusherMessage, detail: String) {
        self.init(
            kind: .clientEvent,
            channel: message.channel ?? "",
            event: message.event,
            detail: detail,
            data: message.dataText ?? ""
        )
    }

    /// The entry as the page reads it.
    package var json: JSONValue {
        [
            "kind": .string(kind.rawValue), "channel": .string(channel), "event": .string(event),
            "detail": .string(detail), "data": .string(data), "time": .integer(time),
        ]
    }
}
