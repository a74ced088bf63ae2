import NIOConcurrencyHelpers

/// JWTs already verified, by their exact text, with what was read from them: a client reuses one
/// token for many requests, so each signature is checked once. Bounded: it starts over when full.
final class VerifiedTokenCache<Value: Sendable>: Sendable {
    private let entries = NIOLockedValueBox([String: Value]())
    private let capacity: Int

    init(capacity: Int = 4096) {
        self.capacity = capacity
    }

    /// The cached value for `text`, or the one `verify` makes (cached unless `nil`).
    func value(for text: String, verify: () -> Value?) -> Value? {
        if let cached = entries.withLockedValue({ $0[text] }) { return cached }
        guard let value = verify() else { return nil }
        entries.withLockedValue {
            if $0.count >= capacity { $0.removeAll(keepingCapacity: true) }
            $0[text] = value
        }
        return value
    }
}
