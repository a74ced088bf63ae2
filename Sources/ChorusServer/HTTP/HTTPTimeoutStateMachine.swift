package import NIOCore

/// How long an HTTP connection may take over each part of a request, and wait between requests.
package struct HTTPTimeouts: Sendable, Equatable {
    /// From the connection opening, or from the first byte of a later request, to a complete head.
    package var header: TimeAmount
    /// The longest silence while a body arrives.
    package var body: TimeAmount
    /// From a response to the first byte of the next request on a keep-alive connection.
    package var idle: TimeAmount

    package init(header: TimeAmount, body: TimeAmount, idle: TimeAmount) {
        self.header = header
        self.body = body
        self.idle = idle
    }
}

/// Decides when an HTTP connection has been too slow to send a request, or idle too long.
///
/// Pure state fed the time and the request's progress; ``HTTPTimeoutHandler`` turns its actions
/// into one timer. A request that had begun and timed out is answered with 408; a connection with
/// nothing of a request on it is closed without an answer.
package struct HTTPTimeoutStateMachine {
    /// What the connection's timer should do.
    package enum Action: Equatable {
        case none
        /// Replace the pending timer with one at the deadline.
        case schedule(NIODeadline)
        /// No timer while the server, not the client, has the next move.
        case cancel
        /// Nothing of a request arrived in time: close without an answer.
        case close
        /// A request began and did not complete in time: answer 408 and close.
        case timeOut
    }

    private enum State {
        /// Waiting for a request head to be complete by `deadline`; `started` once bytes of it came.
        case awaitingHead(deadline: NIODeadline, started: Bool)
        /// Between requests on a keep-alive connection.
        case idle(deadline: NIODeadline)
        /// The head arrived; the body must keep coming.
        case receivingBody(lastRead: NIODeadline)
        /// The request is complete; the server is answering it.
        case processing
        /// Timed out: nothing more to decide.
        case expired
    }

    package let timeouts: HTTPTimeouts
    private var state: State

    /// A connection that has just opened: its first request head is due within the header timeout.
    package init(timeouts: HTTPTimeouts, openedAt now: NIODeadline) {
        self.timeouts = timeouts
        self.state = .awaitingHead(deadline: now + timeouts.header, started: false)
    }

    /// The timer the connection starts with.
    package var initialAction: Action {
        guard case .awaitingHead(let deadline, _) = state else { return .none }
        return .schedule(deadline)
    }

    /// Bytes arrived from the client.
    package mutating func bytesReceived(now: NIODeadline) -> Action {
        switch state {
        case .idle:
            let deadline = now + timeouts.header
            state = .awaitingHead(deadline: deadline, started: true)
            return .schedule(deadline)
        case .awaitingHead(let deadline, started: false):
            state = .awaitingHead(deadline: deadline, started: true)
            return .none
        case .receivingBody:
            state = .receivingBody(lastRead: now)
            return .none
        case .awaitingHead(_, started: true), .processing, .expired:
            return .none
        }
    }

    /// A whole request head was decoded; its body (if any) follows.
    package mutating func headReceived(now: NIODeadline) -> Action {
        guard !isExpired else { return .none }
        state = .receivingBody(lastRead: now)
        return .schedule(now + timeouts.body)
    }

    /// The whole request arrived.
    package mutating func requestReceived() -> Action {
        guard !isExpired else { return .none }
        state = .processing
        return .cancel
    }

    /// The response went out and the connection stays open for the next request.
    package mutating func responseSent(now: NIODeadline) -> Action {
        guard !isExpired else { return .none }
        let deadline = now + timeouts.idle
        state = .idle(deadline: deadline)
        return .schedule(deadline)
    }

    /// The timer fired.
    package mutating func deadlineReached(now: NIODeadline) -> Action {
        switch state {
        case .awaitingHead(let deadline, _) where now < deadline, .idle(let deadline) where now < deadline:
            return .schedule(deadline)
        case .awaitingHead(_, let started):
            state = .expired
            return started ? .timeOut : .close
        case .idle:
            state = .expired
            return .close
        case .receivingBody(let lastRead):
            let deadline = lastRead + timeouts.body
            guard now >= deadline else { return .schedule(deadline) }
            state = .expired
            return .timeOut
        case .processing, .expired:
            return .none
        }
    }

    private var isExpired: Bool {
        if case .expired = state { return true }
        return false
    }
}
