/// A value derived from a credential that is good until `renewAt` (seconds since 1970).
package struct Renewable<Value: Sendable>: Sendable {
    package var value: Value
    package var renewAt: Double

    package init(value: Value, renewAt: Double) {
        self.value = value
        self.renewAt = renewAt
    }
}

/// Tokens derived from credentials (APNs provider JWTs, FCM access tokens, VAPID JWTs), kept
/// until their renewal instant. Concurrent callers missing the same key share one derivation.
package actor RenewingCache<Key: Hashable & Sendable, Value: Sendable & Equatable> {
    private enum Entry {
        case ready(Renewable<Value>)
        case pending(Task<Renewable<Value>, any Error>)
    }

    private let clock: ProviderClock
    private var entries: [Key: Entry] = [:]

    package init(clock: ProviderClock) {
        self.clock = clock
    }

    /// The cached value for `key`, or the one `make` derives when there is none or it is due.
    package func value(
        for key: Key,
        make: @escaping @Sendable () async throws -> Renewable<Value>
    ) async throws -> Value {
        switch entries[key] {
        case .ready(let fresh) where clock.now() < fresh.renewAt: return fresh.value
        case .pending(let task): return try await task.value.value
        case .ready, nil: break
        }
        let task = Task { try await make() }
        entries[key] = .pending(task)
        do {
            let fresh = try await task.value
            store(fresh, for: key)
            return fresh.value
        } catch {
            entries[key] = nil
            throw error
        }
    }

    /// Forgets `value` for `key` (the provider refused it), unless it was already replaced.
    package func invalidate(_ value: Value, for key: Key) {
        if case .ready(let fresh) = entries[key], fresh.value == value { entries[key] = nil }
    }

    private func store(_ fresh: Renewable<Value>, for key: Key) {
        // Entries of replaced credentials would linger: drop every one that is due anyway.
        let now = clock.now()
        entries = entries.filter { _, entry in
            if case .ready(let other) = entry { other.renewAt > now } else { true }
        }
        entries[key] = .ready(fresh)
    }
}
