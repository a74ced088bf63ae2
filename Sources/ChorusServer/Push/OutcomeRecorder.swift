import ChorusPush
import Synchronization

/// Records one publish's delivery outcomes as they come: a batch at ``batchSize`` and, through
/// ``ticking(every:)``, whatever else waits, so a crash re-sends at most the outcomes of the last
/// tick (and what was in flight).
final class OutcomeRecorder: Sendable {
    private let store: any PushStore
    private let buffer = Mutex<[DeliveryOutcome]>([])
    /// The first failed write; the dispatch stops at the next check and resumes at the next start.
    private let failure = Mutex<PushStoreError?>(nil)

    static let batchSize = 256

    init(store: any PushStore) {
        self.store = store
    }

    func add(_ outcome: DeliveryOutcome) async {
        let batch = buffer.withLock { buffer -> [DeliveryOutcome]? in
            buffer.append(outcome)
            guard buffer.count >= Self.batchSize else { return nil }
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer
        }
        if let batch { await write(batch) }
    }

    /// Writes what waits, then throws the first failure of any write so far.
    func flush() async throws(PushStoreError) {
        let batch = buffer.withLock { buffer in
            defer { buffer.removeAll(keepingCapacity: true) }
            return buffer
        }
        if !batch.isEmpty { await write(batch) }
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Flushes every `interval` until the task is cancelled.
    func ticking(every interval: Duration) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            try? await flush()
        }
    }

    private func write(_ batch: [DeliveryOutcome]) async {
        do {
            try await store.record(batch)
        } catch {
            failure.withLock { $0 = $0 ?? error }
        }
    }
}
