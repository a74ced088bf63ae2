import NIOCore

/// Decides when a silent client is pinged and when it is closed for not answering (4201).
///
/// Pure state inside ``PusherSessionStateMachine``: it is fed the time, so tests drive it without waiting.
struct ActivityMonitor {
    /// What the connection should do at a check.
    enum Action: Equatable {
        /// Nothing yet; check again after the delay.
        case wait(TimeAmount)
        /// Send `pusher:ping`, then check again after the delay (the pong timeout).
        case sendPing(TimeAmount)
        /// No pong came within the pong timeout: close with 4201.
        case closeForMissingPong
    }

    let activityTimeout: TimeAmount
    let pongTimeout: TimeAmount
    private var lastActivity: NIODeadline
    private var pingSentAt: NIODeadline?

    init(activityTimeout: TimeAmount, pongTimeout: TimeAmount, now: NIODeadline) {
        self.activityTimeout = activityTimeout
        self.pongTimeout = pongTimeout
        self.lastActivity = now
    }

    /// Anything received from the client counts as activity (and as the pong).
    mutating func recordActivity(now: NIODeadline) {
        lastActivity = now
    }

    mutating func check(now: NIODeadline) -> Action {
        if let sent = pingSentAt {
            if lastActivity >= sent {
                pingSentAt = nil
            } else if now - sent >= pongTimeout {
                return .closeForMissingPong
            } else {
                return .wait(pongTimeout - (now - sent))
            }
        }
        let idle = now - lastActivity
        guard idle >= activityTimeout else { return .wait(activityTimeout - idle) }
        pingSentAt = now
        return .sendPing(pongTimeout)
    }
}
