/// `pusher:delta_cache_sync`: what a subscriber of a channel with conflation keys is sent right
/// after `subscription_succeeded`: the last message of each conflation key, so that the deltas that
/// follow have their bases.
///
/// Wire form: `{"event":"pusher:delta_cache_sync","channel":C,"data":"{\"conflation_key\":PATH,
/// \"max_messages_per_key\":1,\"seq\":S,\"states\":{KEY:[{\"content\":TEXT,\"seq\":N}]}}"}` where
/// TEXT is the message as other subscribers got it and S the channel's sequence at the time.
public struct DeltaCacheSync: Sendable, Hashable {
    /// The last message of one conflation key.
    public struct State: Sendable, Hashable {
        public var content: [UInt8]
        public var sequence: UInt64

        public init(content: [UInt8], sequence: UInt64) {
            self.content = content
            self.sequence = sequence
        }
    }

    public var channel: String
    /// The path of the conflation key in event data (the channel's setting).
    public var conflationKey: String
    /// The channel's sequence when the states were read.
    public var sequence: UInt64
    public var states: [String: State]

    public init(channel: String, conflationKey: String, sequence: UInt64, states: [String: State]) {
        self.channel = channel
        self.conflationKey = conflationKey
        self.sequence = sequence
        self.states = states
    }

    /// Reads a `pusher:delta_cache_sync` message; `nil` for any other message or a malformed one.
    public init?(_ message: PusherMessage) {
        guard message.event == PusherEventName.deltaCacheSync, let channel = message.channel,
            let data = message.dataObject, let states = data["states"]?.objectValue
        else { return nil }
        var parsed: [String: State] = [:]
        for (key, entries) in states {
            guard let last = entries.arrayValue?.last, let content = last["content"]?.stringValue,
                let sequence = last["seq"]?.intValue
            else { return nil }
            parsed[key] = State(content: Array(content.utf8), sequence: UInt64(sequence))
        }
        self.init(
            channel: channel,
            conflationKey: data["conflation_key"]?.stringValue ?? "",
            sequence: UInt64(data["seq"]?.intValue ?? 0),
            states: parsed
        )
    }

    /// The `pusher:delta_cache_sync` message.
    public var message: PusherMessage {
        var states: [String: JSONValue] = [:]
        for (key, state) in self.states {
            states[key] = [
                [
                    "content": .string(String(decoding: state.content, as: UTF8.self)),
                    "seq": .integer(Int64(state.sequence)),
                ]
            ]
        }
        let data: JSONValue = [
            "conflation_key": .string(conflationKey),
            "max_messages_per_key": 1,
            "seq": .integer(Int64(sequence)),
            "states": .object(states),
        ]
        return PusherMessage(event: PusherEventName.deltaCacheSync, channel: channel, data: .string(data.jsonText))
    }
}
