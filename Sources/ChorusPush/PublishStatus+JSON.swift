public import ChorusProtocol

/// How many recipients of a publish stand where: planned = succeeded + failed + expired once
/// the publish is terminal.
public struct PublishCounters: Sendable, Hashable {
    public var planned = 0
    /// Handed to a provider (the log provider included).
    public var dispatched = 0
    public var succeeded = 0
    public var failed = 0
    public var expired = 0

    public init(_ recipients: [RecipientDelivery]) {
        planned = recipients.count
        for recipient in recipients {
            if recipient.via != nil { dispatched += 1 }
            switch recipient.state {
            case .pending: break
            case .succeeded: succeeded += 1
            case .failed: failed += 1
            case .expired: expired += 1
            }
        }
    }

    public var json: JSONValue {
        [
            "planned": .integer(Int64(planned)), "dispatched": .integer(Int64(dispatched)),
            "succeeded": .integer(Int64(succeeded)), "failed": .integer(Int64(failed)),
            "expired": .integer(Int64(expired)),
        ]
    }
}

extension PublishStatus {
    /// `GET …/push/publish/{id}/status`: the state, the counters and every recipient.
    public var json: JSONValue {
        [
            "publish_id": .string(publish.publishID),
            "state": .string(state.rawValue),
            "created_at_ms": .integer(publish.createdAtMs),
            "expires_at_ms": .integer(publish.expiresAtMs),
            "counters": PublishCounters(recipients).json,
            "recipients": .array(recipients.map(\.json)),
        ]
    }
}

extension RecipientDelivery {
    /// `{"device_id","platform","state","attempts","via"?,"error"?,"detail"?}`.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "device_id": .string(deviceID),
            "platform": .string(platform.rawValue),
            "state": .string(state.rawValue),
            "attempts": .integer(Int64(attempts)),
        ]
        if let via { object["via"] = .string(via) }
        if let error { object["error"] = .string(error) }
        if let detail { object["detail"] = .string(detail) }
        return .object(object)
    }
}
