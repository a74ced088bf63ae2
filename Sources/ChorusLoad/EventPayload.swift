/// The `data` of every published event: `{"seq":N,"t":NANOS,"pad":"xxx…"}`, padded to the
/// scenario's payload size, where `t` is the publisher's monotonic clock at send time.
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
        return head + String(repeating: "x", count: padding) + #""}"#
    }
}
