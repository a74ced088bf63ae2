import Synchronization

/// Counts in memory, behind one lock: the `driver: memory` usage store (tests, benchmarks);
/// nothing survives the process.
public final class MemoryUsageStore: UsageStore {
    private let rows = Mutex<[UsageKey: Int]>([:])

    public init() {}

    public func add(_ deltas: [UsageKey: Int]) async throws(UsageStoreError) -> [UsageKey: Int] {
        rows.withLock { rows in
            var totals: [UsageKey: Int] = [:]
            for (key, delta) in deltas {
                rows[key, default: 0] += delta
                totals[key] = rows[key]
            }
            return totals
        }
    }

    public func close() async {}
}
