import Foundation

/// A `pusher:delta` frame: how one event of a channel differs from an earlier event of the channel
/// (the previous one, or the previous one of the same conflation key), sent to subscribers that
/// opted in to delta compression and hold that earlier event.
///
/// Wire form, as Sockudo's clients read it: `{"event":"pusher:delta","channel":C,"data":"{…}"}`
/// whose data holds `event` (the event's name), `delta` (base64), `seq` (the event's sequence in
/// its channel), `base_index` (the sequence of the message it applies to), `algorithm` (`fossil`
/// or `xdelta3`) and, on channels with conflation, `conflation_key`. Full messages to such
/// subscribers carry their sequence (and key) as last members, `…,"__delta_seq":S,
/// "__conflation_key":"K"}`; the delta base is that text without those members, which is exactly
/// the frame other subscribers get. Deltas only copy from the base up to, not including, its
/// closing brace, so a client that strips only the member names (sockudo-python 2.2.0) still
/// rebuilds every message.
public struct DeltaMessage: Sendable, Hashable {
    public var channel: String
    public var event: String
    public var delta: [UInt8]
    public var sequence: UInt64
    public var baseSequence: UInt64
    public var algorithm: String
    public var conflationKey: String?

    public init(
        channel: String,
        event: String,
        delta: [UInt8],
        sequence: UInt64,
        baseSequence: UInt64,
        algorithm: String,
        conflationKey: String? = nil
    ) {
        self.channel = channel
        self.event = event
        self.delta = delta
        self.sequence = sequence
        self.baseSequence = baseSequence
        self.algorithm = algorithm
        self.conflationKey = conflationKey
    }

    /// The member full messages carry their sequence in.
    public static let sequenceMember = "__delta_seq"
    /// The member full messages of a conflation channel carry their conflation key in.
    public static let conflationKeyMember = "__conflation_key"

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
            algorithm: data["algorithm"]?.stringValue ?? DeltaAlgorithm.fossil.rawValue,
            conflationKey: data["conflation_key"]?.stringValue
        )
    }

    /// The `pusher:delta` message.
    public var message: PusherMessage {
        var data: [String: JSONValue] = [
            "event": .string(event),
            "delta": .string(Data(delta).base64EncodedString()),
            "seq": .integer(Int64(sequence)),
            "base_index": .integer(Int64(baseSequence)),
            "algorithm": .string(algorithm),
        ]
        if let conflationKey { data["conflation_key"] = .string(conflationKey) }
        return PusherMessage(
            event: PusherEventName.delta,
            channel: channel,
            data: .string(JSONValue.object(data).jsonText)
        )
    }

    /// The serialised message `text` (a JSON object) with `"__delta_seq":sequence` and, when given,
    /// `"__conflation_key":conflationKey` as its last members.
    public static func appendingMetadata(sequence: UInt64, conflationKey: String? = nil, to text: [UInt8]) -> [UInt8] {
        var bytes = text
        guard bytes.last == UInt8(ascii: "}") else { return bytes }
        bytes.removeLast()
        bytes.append(contentsOf: #","\#(sequenceMember)":\#(sequence)"#.utf8)
        if let conflationKey {
            bytes.append(contentsOf: #","\#(conflationKeyMember)":"#.utf8)
            JSONText.appendQuoted(conflationKey, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// What a full message carrying delta metadata holds.
    public struct FullMessage: Sendable, Hashable {
        /// The message text without the metadata: what other subscribers get, the next base.
        public var text: [UInt8]
        public var sequence: UInt64
        public var conflationKey: String?
    }

    /// Splits a full message carrying its sequence (and conflation key) into the plain message text
    /// and the metadata; `nil` when `text` does not end with them. Reads from the end: the cost does
    /// not grow with the message.
    public static func splitMetadata(_ text: [UInt8]) -> FullMessage? {
        let marker = Array(#","\#(sequenceMember)":"#.utf8)
        guard text.last == UInt8(ascii: "}"), let start = lastRange(of: marker, in: text) else { return nil }
        var index = start + marker.count
        var sequence: UInt64 = 0
        let digitsStart = index
        while index < text.count, text[index] >= UInt8(ascii: "0"), text[index] <= UInt8(ascii: "9"),
            index - digitsStart < 19
        {
            sequence = sequence * 10 + UInt64(text[index] - UInt8(ascii: "0"))
            index += 1
        }
        guard index > digitsStart else { return nil }
        var conflationKey: String?
        let keyMarker = Array(#","\#(conflationKeyMember)":"#.utf8)
        if text[index...].starts(with: keyMarker) {
            let keyText = text[(index + keyMarker.count)..<(text.count - 1)]
            guard let key = (try? JSONValue(parsing: keyText))?.stringValue else { return nil }
            conflationKey = key
            index = text.count - 1
        }
        guard index == text.count - 1 else { return nil }
        return FullMessage(
            text: Array(text[..<start]) + [UInt8(ascii: "}")],
            sequence: sequence,
            conflationKey: conflationKey
        )
    }

    private static func lastRange(of marker: [UInt8], in text: [UInt8]) -> Int? {
        guard text.count >= marker.count else { return nil }
        var index = text.count - marker.count
        while index >= 0 {
            if text[index..<(index + marker.count)].elementsEqual(marker) { return index }
            index -= 1
        }
        return nil
    }
}
