/// The `data` of every published event: `{"seq":N,"t":NANOS,"pad":"…"}`, padded to the
/// scenario's payload size, where `t` is the publisher's monotonic clock at send time.
///
/// The padding reads like market data (``filler``), not one repeated letter, so a server that
/// compresses (`permessage-deflate`) is measured on bytes that compress as real events do.
///
/// Receivers read it back with ``DeliveryScanner`` without decoding the JSON.
public struct EventPayload: Sendable, Hashable {
    public var sequence: Int64
    public var sentAt: UInt64

    public init(sequence: Int64, sentAt: UInt64) {
        self.sequence = sequence
        self.sentAt = sentAt
    }

    /// The payload text, padded to `size` bytes when it is shorter.
    public func text(size: Int) -> String {
        let head = #"{"seq":\#(sequence),"t":\#(sentAt),"pad":""#
        let padding = max(0, size - head.utf8.count - 2)
        return head + Self.padding(count: padding) + #""}"#
    }

    /// The first `count` bytes of ``filler`` (the same for every event, so consecutive events of a
    /// channel differ as a real stream's do: in a few figures, which delta compression relies on).
    static func padding(count: Int) -> String {
        count <= filler.count
            ? String(decoding: filler.prefix(count), as: UTF8.self) : String(repeating: "x", count: count)
    }

    /// 64 KB of order-book rows with varying figures and no character JSON strings escape
    /// (`{level:3,bid:1.08391,bid_size:1250000,…}`): it compresses about as well as real JSON events.
    static let filler: [UInt8] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: UInt64) -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (state >> 33) % bound
        }
        var text = ""
        var level = 0
        while text.utf8.count < 65_536 {
            text += "{level:\(level),bid:1.0\(8_000 + next(999)),bid_size:\(next(5_000) * 250),"
            text += "ask:1.0\(8_000 + next(999)),ask_size:\(next(5_000) * 250),venue:lp-\(next(9))}"
            level = (level + 1) % 20
        }
        return Array(text.utf8.prefix(65_536))
    }()
}
