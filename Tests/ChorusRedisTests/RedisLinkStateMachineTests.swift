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
        #expect(machine.start())
        #expect(!machine.start())
        #expect(machine.connectionLost() == .reconnect(after: .milliseconds(100), report: true))
        #expect(machine.reconnectDelayElapsed())
        #expect(machine.connected())
        #expect(machine.connectionLost() == .reconnect(after: .milliseconds(200), report: false))
        #expect(machine.reconnectDelayElapsed())
        #expect(machine.connected())
        #expect(machine.handshakeSucceeded())
        #expect(machine.state == .ready)
        #expect(machine.connectionLost() == .reconnect(after: .milliseconds(100), report: true))
    }

    @Test func shutdownWhileWaitingFinishesAtOnce() {
        var machine = RedisLinkStateMachine(policy: self.policy)
        _ = machine.start()
        _ = machine.connectionLost()
        #expect(machine.shutdown() == .finish)
        #expect(!machine.reconnectDelayElapsed())
        #expect(machine.shutdown() == .none)
        #expect(machine.state == .shutDown)
    }

    @Test func shutdownWhileConnectingClosesWhatConnects() {
        var machine = RedisLinkStateMachine(policy: self.policy)
        _ = machine.start()
        #expect(machine.shutdown() == .close)
        #expect(!machine.connected())
        #expect(!machine.handshakeSucceeded())
        #expect(machine.connectionLost() == .finishShutdown)
        #expect(machine.state == .shutDown)
        #expect(machine.connectionLost() == .none)
    }

    @Test func shutdownWhenReadyClosesTheConnection() {
        var machine = RedisLinkStateMachine(policy: self.policy)
        _ = machine.start()
        _ = machine.connected()
        _ = machine.handshakeSucceeded()
        #expect(machine.shutdown() == .close)
        #expect(machine.connectionLost() == .finishShutdown)
    }
}
