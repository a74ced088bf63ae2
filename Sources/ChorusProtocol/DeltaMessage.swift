import Foundation

/// A `pusher:delta` frame: how one event of a channel differs from the channel's previous event,
/// sent to subscribers that opted in to delta compression and hold that previous event.
///
/// Wire form: `{"event":"pusher:delta","channel":C,"data":"{\"algorithm\":\"fossil\",
/// \"base_index\":B,\"delta\":D,\"event\":E,\"seq\":S}"}` where D is the base64 delta, S the
/// event's sequence in the channel's chain and B the sequence of the message it applies to. Full
/// messages to such subscribers carry their sequence as a last member, `…,"__delta_seq":S}`; the
/// delta base is that text without the member, which is exactly the frame other subscribers get.
public struct DeltaMessage: Sendable, Hashable {
    public var channel: String
    public var event: String
    public var delta: [UInt8]
    public var sequence: UInt64
    public var baseSequence: UInt64
    public var algorithm: String

    public init(
        channel: String,
        event: String,
        delta: [UInt8],
        sequence: UInt64,
        baseSequence: UInt64,
        algorithm: String
    ) {
        self.channel = channel
        self.event = event
        self.delta = delta
        self.sequence = sequence
        self.baseSequence = baseSequence
        self.algorithm = algorithm
    }

    /// The member full messages carry their chain sequence in.
    public static let sequenceMember = "__delta_seq"

    /// Reads a `pusher:delta` message; `nil` for any other message or a malformed one.
    public init?(_ message: PusherMessage) {
        guard message.event == PusherEventName.delta, let channel = message.channel,
            let data = message.dataObject,
            let event = data["event"]?.stringValue,
            let encoded = data["delta"]?.stringValue, let delta = Data(base64Encoded: encoded),
            let sequence = data["seq"]?.intValue, let base = data["base_index"]?.intValue
        else { return nil }
        self.init(
            channel: channel,
            event: event,
            delta: Array(delta),
            sequence: UInt64(sequence),
            baseSequence: UInt64(base),
            algorithm: data["algorithm"]?.stringValue ?? FossilDelta.algorithm
        )
    }

    /// The `pusher:delta` message.
    public var message: PusherMessage {
        let data: JSONValue = [
            "event": .string(event),
            "delta": .string(Data(delta).base64EncodedString()),
            "seq": .integer(Int64(sequence)),
            "base_index": .integer(Int64(baseSequence)),
            "algorithm": .string(algorithm),
        ]
        return PusherMessage(event: PusherEventName.delta, channel: channel, data: .string(data.jsonText))
    }

    /// The serialised message `text` (a JSON object) with `"__delta_seq":sequence` as its last member.
    public static func appendingSequence(_ sequence: UInt64, to text: [UInt8]) -> [UInt8] {
        var bytes = text
        guard bytes.last == UInt8(ascii: "}") else { return bytes }
        bytes.removeLast()
        bytes.append(contentsOf: #","\#(sequenceMember)":\#(sequence)}"#.utf8)
        return bytes
    }

    /// Splits a full message carrying its sequence into the plain message text and the sequence;
    /// `nil` when `text` does not end with the sequence member.
    public static func splitSequence(_ text: [UInt8]) -> (message: [UInt8], sequence: UInt64)? {
        guard text.last == UInt8(ascii: "}") else { return nil }
        var index = text.count - 2
        var sequence: UInt64 = 0
        var scale: UInt64 = 1
        while index >= 0, text[index] >= UInt8(ascii: "0"), text[index] <= UInt8(ascii: "9") {
            sequence += UInt64(text[index] - UInt8(ascii: "0")) * scale
            scale *= 10
            index -= 1
        }
        let marker = Array(#","\#(sequenceMember)":"#.utf8)
        guard scale > 1, index + 1 >= marker.count, Array(text[(index + 1 - marker.count)...index]) == marker else {
            return nil
        }
        return (Array(text[..<(index + 1 - marker.count)]) + [UInt8(ascii: "}")], sequence)
    }
}
