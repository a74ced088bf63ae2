import NIOConcurrencyHelpers
import NIOCore

/// Hands what the channel receives to one async reader at a time, with a timeout per read.
final class WebSocketMailbox: Sendable {
    private struct State {
        var queue = CircularBuffer<WebSocketInbound>()
        var waiter: CheckedContinuation<WebSocketInbound, any Error>?
        var waiterID = 0
        var ended = false
    }

    private enum Take {
        case ready(WebSocketInbound)
        case waiting(id: Int)
    }

    private let state = NIOLockedValueBox(State())

    /// Queues `item`, or gives it straight to a waiting reader.
    func deliver(_ item: WebSocketInbound) {
        let waiter: CheckedContinuation<WebSocketInbound, any Error>? = state.withLockedValue { state in
            if item == .disconnected { state.ended = true }
            guard let waiter = state.waiter else {
                state.queue.append(item)
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: item)
    }

    /// The next item; `.disconnected` again and again once the connection has ended and the queue is drained.
    func next(timeout: TimeAmount, on loop: any EventLoop) async throws -> WebSocketInbound {
        try await withCheckedThrowingContinuation { continuation in
            let take: Take = state.withLockedValue { state in
                if let item = state.queue.popFirst() { return .ready(item) }
                if state.ended { return .ready(.disconnected) }
                precondition(state.waiter == nil, "a WebSocketSession has one reader at a time")
                state.waiter = continuation
                state.waiterID += 1
                return .waiting(id: state.waiterID)
            }
            guard case .waiting(let id) = take else {
                if case .ready(let item) = take { continuation.resume(returning: item) }
                return
            }
            loop.scheduleTask(in: timeout) { [self] in
                let expired: CheckedContinuation<WebSocketInbound, any Error>? = state.withLockedValue { state in
                    guard state.waiterID == id, let waiter = state.waiter else { return nil }
                    state.waiter = nil
                    return waiter
                }
                expired?.resume(throwing: WebSocketSessionError.timedOut)
            }
        }
    }
}
