package import NIOCore

/// The life of a reconnecting Redis link, without any channel: connect, handshake (AUTH, SELECT,
/// SUBSCRIBE), ready, lost, wait with backoff, connect again, until shut down. Each event answers
/// what the link must do.
package struct RedisLinkStateMachine: Sendable {
    package enum State: Sendable, Equatable {
        case idle
        case connecting
        case handshaking
        case ready
        case waiting
        /// Shutdown asked while a connection (or an attempt) was open: waiting for it to close.
        case closing
        case shutDown
    }

    package enum LossAction: Sendable, Equatable {
        /// Try again after `delay`; `report` is true for the first failure since the link was last
        /// ready (later failures of the same outage are not reported again).
        case reconnect(after: TimeAmount, report: Bool)
        /// The connection shut down on purpose is gone: shutdown is complete.
        case finishShutdown
        case none
    }

    package enum ShutdownAction: Sendable, Equatable {
        /// Close the open connection (or the one being made) and finish once it is gone.
        case close
        /// Nothing is open: shutdown is complete (cancel a pending reconnect).
        case finish
        /// Shutdown already asked for.
        case none
    }

    package private(set) var state = State.idle
    private let policy: RedisReconnectPolicy
    private var failures = 0
    private var isReportedDown = false

    package init(policy: RedisReconnectPolicy) {
        self.policy = policy
    }

    /// `start()`: true if a first connection attempt should be made now.
    package mutating func start() -> Bool {
        guard self.state == .idle else { return false }
        self.state = .connecting
        return true
    }

    /// The TCP connection is up: true to handshake on it, false to close it (shutdown came meanwhile).
    package mutating func connected() -> Bool {
        guard self.state == .connecting else { return false }
        self.state = .handshaking
        return true
    }

    /// The handshake succeeded: true if the link is now ready (report it).
    package mutating func handshakeSucceeded() -> Bool {
        guard self.state == .handshaking else { return false }
        self.state = .ready
        self.failures = 0
        self.isReportedDown = false
        return true
    }

    /// The attempt failed or the connection closed.
    package mutating func connectionLost() -> LossAction {
        switch self.state {
        case .connecting, .handshaking, .ready:
            let delay = self.policy.delay(afterFailures: self.failures)
            self.failures += 1
            let report = !self.isReportedDown
            self.isReportedDown = true
            self.state = .waiting
            return .reconnect(after: delay, report: report)
        case .closing:
            self.state = .shutDown
            return .finishShutdown
        case .idle, .waiting, .shutDown:
            return .none
        }
    }

    /// The backoff elapsed: true if a new attempt should be made.
    package mutating func reconnectDelayElapsed() -> Bool {
        guard self.state == .waiting else { return false }
        self.state = .connecting
        return true
    }

    /// `shutdown()`.
    package mutating func shutdown() -> ShutdownAction {
        switch self.state {
        case .idle, .waiting:
            self.state = .shutDown
            return .finish
        case .connecting, .handshaking, .ready:
            self.state = .closing
            return .close
        case .closing, .shutDown:
            return .none
        }
    }
}
