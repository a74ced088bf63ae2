import Synchronization

/// Makes message, version and annotation serials: `{ms:020}:{node}:{n:020}`, at most 128 bytes
/// of `[A-Za-z0-9._:-]`, sorting as strings in the order they were made on one node (the
/// milliseconds never go back, the counter only goes up).
public final class SerialGenerator: Sendable {
    /// This node's name inside serials.
    public let node: String
    private let clock: @Sendable () -> Int64
    private let state = Mutex<(milliseconds: Int64, counter: UInt64)>((0, 0))

    /// `node` must be 1…64 characters of `[A-Za-z0-9._-]`; `clock` gives milliseconds since 1970.
    public init(node: String, clock: @escaping @Sendable () -> Int64) {
        precondition(Self.isValidNode(node), "a serial node must be 1...64 of [A-Za-z0-9._-]")
        self.node = node
        self.clock = clock
    }

    /// The next serial and the milliseconds it carries.
    public func next() -> (serial: String, timestampMs: Int64) {
        let (milliseconds, counter) = state.withLock { state in
            state.milliseconds = max(state.milliseconds, clock())
            state.counter += 1
            return state
        }
        return (Self.padded(milliseconds) + ":" + node + ":" + Self.padded(Int64(counter)), milliseconds)
    }

    /// Whether `text` may be a serial: 1…128 bytes of `[A-Za-z0-9._:-]`.
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        (1...128).contains(text.utf8.count) && text.utf8.allSatisfy { isSerialByte($0) }
    }

    private static func isValidNode(_ node: String) -> Bool {
        (1...64).contains(node.utf8.count) && node.utf8.allSatisfy { isSerialByte($0) && $0 != UInt8(ascii: ":") }
    }

    private static func isSerialByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"),
            UInt8(ascii: "-"):
            true
        default: false
        }
    }

    private static func padded(_ value: Int64) -> String {
        let digits = String(max(value, 0))
        return String(repeating: "0", count: max(0, 20 - digits.utf8.count)) + digits
    }
}
