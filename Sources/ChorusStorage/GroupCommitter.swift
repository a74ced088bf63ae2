import ChorusHistory
import Synchronization

/// Gathers concurrent requests into one transaction: the group commit of the history stores.
///
/// A request that arrives while a transaction is committing waits for the next one, which takes
/// every request queued by then, so under load a transaction carries many messages and the cost of
/// a commit (the fsync, the round trips) is shared by all of them. Each caller resumes only after
/// the transaction holding its request committed. If a transaction fails, its requests are retried
/// one per transaction, so a bad request fails alone and the others still commit.
///
/// One drain task runs at a time, started by the first request that finds the committer idle;
/// it runs `commit` off the caller's executor (GRDB's writer queue, or a PostgreSQL connection).
package final class GroupCommitter<Request: Sendable, Response: Sendable>: Sendable {
    /// Commits the requests in one transaction, in the order given, and answers each.
    package typealias Commit = @Sendable ([Request]) async throws -> [Response]

    private struct Waiter: Sendable {
        var request: Request
        var continuation: CheckedContinuation<Response, any Error>
    }

    private struct State: Sendable {
        var queue: [Waiter] = []
        var drain: Task<Void, Never>?
        var closed = false
    }

    private let state = Mutex(State())
    private let commit: Commit

    package init(commit: @escaping Commit) {
        self.commit = commit
    }

    /// Queues the request and returns its response once its transaction committed.
    package func submit(_ request: Request) async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            let waiter = Waiter(request: request, continuation: continuation)
            let refused = state.withLock { state -> Bool in
                guard !state.closed else { return true }
                state.queue.append(waiter)
                if state.drain == nil {
                    state.drain = Task { await self.drainQueue() }
                }
                return false
            }
            if refused {
                continuation.resume(throwing: HistoryStoreError("the history store is closed"))
            }
        }
    }

    /// Refuses new requests and waits until every queued one is committed.
    package func close() async {
        let drain = state.withLock { state in
            state.closed = true
            return state.drain
        }
        await drain?.value
    }

    private func drainQueue() async {
        while let batch = nextBatch() {
            await commitAnswering(batch)
        }
    }

    /// Takes everything queued, or ends the drain (atomically, so no request is left behind).
    private func nextBatch() -> [Waiter]? {
        state.withLock { state in
            guard !state.queue.isEmpty else {
                state.drain = nil
                return nil
            }
            let batch = state.queue
            state.queue = []
            return batch
        }
    }

    private func commitAnswering(_ batch: [Waiter]) async {
        do {
            let responses = try await commit(batch.map(\.request))
            for (waiter, response) in zip(batch, responses) {
                waiter.continuation.resume(returning: response)
            }
        } catch {
            guard batch.count > 1 else {
                batch[0].continuation.resume(throwing: error)
                return
            }
            for waiter in batch {
                await commitAnswering([waiter])
            }
        }
    }
}
