/// A short string as plain integers: up to 16 UTF-8 bytes held exactly, so two short strings are
/// equal exactly when their packed forms are — compared without touching the strings or counting
/// references. A longer string is packed as its hash and length, and equal packed forms must then
/// be confirmed on the strings themselves.
struct PackedText: Sendable, Hashable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    private var length: Int

    static let capacity = 16

    init(_ text: String) {
        let utf8 = text.utf8
        length = utf8.count
        guard length <= Self.capacity else {
            low = UInt64(bitPattern: Int64(text.hashValue))
            return
        }
        for (index, byte) in utf8.enumerated() {
            if index < 8 {
                low |= UInt64(byte) << (index * 8)
            } else {
                high |= UInt64(byte) << ((index - 8) * 8)
            }
        }
    }

    /// Whether equal packed forms may still be different strings.
    var needsConfirmation: Bool { length > Self.capacity }
}
