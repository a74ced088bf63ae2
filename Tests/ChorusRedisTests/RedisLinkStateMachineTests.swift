import ChorusRedis
import NIOCore
import Testing

@Suite struct RedisLinkStateMachineTests {
    private var policy: RedisReconnectPolicy {
        var policy = RedisReconnectPolicy()
        policy.initialDelay = .milliseconds(100)
        policy.maximumDelay = .milliseconds(500)
        return policy
    }

    @Test func backoffDoublesUpToTheMaximum() {
        let delays = (0..<6).map { self.policy.delay(afterFailures: $0) }
        #expect(delays == [100, 200, 400, 500, 500, 500].map { TimeAmount.milliseconds($0) })
        #expect(self.policy.delay(afterFailures: 10_000) == .milliseconds(500))
    }

    @Test func reportsAnOutageOnceAndResetsTheBackoffWhenReady() {
        var machine = RedisLinkStateMachine(policy: self.policy)
        let answers = [
            machine.start(), !machine.start(),
            machine.connectionLost() == .reconnect(after: .milliseconds(100), report: true),
            machine.reconnectDelayElapsed(), machine.connected(),
            machine.connectionLost() == .reconnect(after: .milliseconds(200), report: false),
            machine.reconnectDelayElapsed(), machine.connected(), machine.handshakeSucceeded(),
            machine.state == .ready,
            machine.connectionLost() == .reconnect(after: .milliseconds(100), report: true),
        ]
        #expect(answers == Array(repeating: true, count: answers.count))
    }

    @Test func shutdownWhileWaitingFinishesAtOnce() {
        var machine = RedisLinkStateMachine(policy: self.policy)
        let answers = [
            machine.start(), machine.connectionLost() != .none, machine.shutdown() == .finish,
            !machine.reconnectDelayElapsed(), machine.shutdown() == .none, machine.state == .shutDown,
        ]
        #expect(answers == Array(repeating: true, count: answers.count))
    }

    @Test func shutdownWhileConnectingClosesWhatConnects() {
        var machine = RedisLinkStateMachine(policy: self.policy)
        let answers = [
            machine.start(), machine.shutdown() == .close, !machine.connected(), !machine.handshakeSucceeded(),
            machine.connectionLost() == .finishShutdown, machine.state == .shutDown, machine.connectionLost() == .none,
        ]
        #expect(answers == Array(repeating: true, count: answers.count))
    }

    @Test func shutdownWhenReadyClosesTheConnection() {
        var machine = RedisLinkStateMachine(policy: self.policy)
        let answers = [
            machine.start(), machine.connected(), machine.handshakeSucceeded(), machine.shutdown() == .close,
            machine.connectionLost() == .finishShutdown,
        ]
        #expect(answers == Array(repeating: true, count: answers.count))
    }
}
