public import ChorusProtocol
import Foundation

/// Where a page ended, handed to clients as an opaque, tamper-evident `next_cursor`.
///
/// The text is `base64url(payload).hex(HMAC-SHA256(key, payload))`, the payload compact JSON of
/// the app, channel, what is paged (history with its bounds, or one message's versions), the
/// direction and the position (the last history serial or version number returned). A cursor is
/// accepted only for the same app, channel, scope, bounds and direction it was issued for.
public struct HistoryCursor: Sendable, Hashable {
    /// What the cursor pages through.
    public enum Scope: Sendable, Hashable {
        case history(HistoryBounds)
        case versions(messageSerial: String)
    }

    public var channel: ChannelRef
    public var scope: Scope
    public var direction: PageDirection
    /// The history serial (or version number) the page ended on; the next page starts strictly after it.
    public var position: Int64

    public init(channel: ChannelRef, scope: Scope, direction: PageDirection, position: Int64) {
        self.channel = channel
        self.scope = scope
        self.direction = direction
        self.position = position
    }

    /// The cursor's text, signed with `signer` (the app's secret).
    public func encoded(signer: HMACSigner) -> String {
        let payload = payloadText
        let base64 = Data(payload.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return base64 + "." + signer.signature(for: payload)
    }

    /// The position of `text` when it is a cursor `signer` issued for exactly this channel, scope
    /// and direction; otherwise 400 `invalid_cursor`.
    public static func position(
        of text: String,
        signer: HMACSigner,
        channel: ChannelRef,
        scope: Scope,
        direction: PageDirection
    ) throws(HistoryRequestError) -> Int64 {
        let invalid = HistoryRequestError(.invalidCursor, "cursor is not a next_cursor issued for this query")
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count <= 4096 else { throw invalid }
        var base64 = parts[0].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let payload = String(data: data, encoding: .utf8),
            signer.isValid(String(parts[1]), for: payload),
            let json = try? JSONValue(parsing: payload),
            case .integer(let position)? = json["p"]
        else { throw invalid }
        // Only the exact text this query's cursor encodes to: no other base64 or hex spelling of it.
        let expected = HistoryCursor(channel: channel, scope: scope, direction: direction, position: position)
        guard expected.encoded(signer: signer) == text else { throw invalid }
        return position
    }

    private var payloadText: String {
        var fields: [String: JSONValue] = [
            "v": 1,
            "a": .string(channel.appID),
            "c": .string(channel.channel),
            "d": .string(direction.rawValue),
            "p": .integer(position),
        ]
        switch scope {
        case .history(let bounds):
            let values = [bounds.startSerial, bounds.endSerial, bounds.startTimeMs, bounds.endTimeMs]
            fields["h"] = .array(values.map { $0.map(JSONValue.integer) ?? .null })
        case .versions(let messageSerial):
            fields["m"] = .string(messageSerial)
        }
        return JSONValue.object(fields).jsonText
    }
}
