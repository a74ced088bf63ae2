import ChorusServer
import NIOCore
import NIOEmbedded
import Testing

/// The per-loop wheel of activity deadlines, turned by an embedded event loop's clock.
@Suite("Activity timer wheel")
struct ActivityTimerWheelTests {
    final class Connection: ActivityDeadlineOwner {
        let loop: EmbeddedEventLoop
        var fired: [NIODeadline] = []

        init(loop: EmbeddedEventLoop) { self.loop = loop }

        func activityCheckDue() { fired.append(loop.now) }
    }

    static let latest = ActivityTimerWheel<Connection>.resolution * 2

    @Test("a deadline fires once, after it passes and within two resolutions")
    func firesOnce() {
        let loop = EmbeddedEventLoop()
        let wheel = ActivityTimerWheel<Connection>(eventLoop: loop)
        let connection = Connection(loop: loop)
        let deadline = loop.now + .seconds(1)
        wheel.schedule(connection, slot: 0, at: deadline)
        loop.advanceTime(by: .milliseconds(900))
        #expect(connection.fired.isEmpty)
        loop.advanceTime(by: .seconds(3))
        #expect(connection.fired.count == 1)
        #expect(connection.fired.allSatisfy { $0 >= deadline && $0 <= deadline + Self.latest })
    }

    @Test("a deadline beyond one turn of the wheel waits for its own turn")
    func longDeadline() {
        let loop = EmbeddedEventLoop()
        let wheel = ActivityTimerWheel<Connection>(eventLoop: loop)
        let connection = Connection(loop: loop)
        let deadline = loop.now + .seconds(300)
        wheel.schedule(connection, slot: 3, at: deadline)
        loop.advanceTime(by: .seconds(299))
        #expect(connection.fired.isEmpty)
        loop.advanceTime(by: .seconds(2))
        #expect(connection.fired.count == 1)
        #expect(connection.fired.allSatisfy { $0 >= deadline && $0 <= deadline + Self.latest })
    }

    @Test("a new deadline replaces the earlier one; a cancelled slot never fires")
    func replaceAndCancel() {
        let loop = EmbeddedEventLoop()
        let wheel = ActivityTimerWheel<Connection>(eventLoop: loop)
        let moved = Connection(loop: loop)
        let cancelled = Connection(loop: loop)
        wheel.schedule(moved, slot: 0, at: loop.now + .seconds(1))
        wheel.schedule(moved, slot: 0, at: loop.now + .seconds(5))
        wheel.schedule(cancelled, slot: 1, at: loop.now + .seconds(1))
        wheel.cancel(slot: 1)
        loop.advanceTime(by: .seconds(3))
        #expect(moved.fired.isEmpty)
        #expect(cancelled.fired.isEmpty)
        loop.advanceTime(by: .seconds(3))
        #expect(moved.fired.count == 1)
        #expect(cancelled.fired.isEmpty)
    }

    @Test("a slot reused by another connection fires only the new one, at its own deadline")
    func reusedSlot() {
        let loop = EmbeddedEventLoop()
        let wheel = ActivityTimerWheel<Connection>(eventLoop: loop)
        let old = Connection(loop: loop)
        let new = Connection(loop: loop)
        wheel.schedule(old, slot: 0, at: loop.now + .seconds(1))
        wheel.cancel(slot: 0)
        let deadline = loop.now + .seconds(4)
        wheel.schedule(new, slot: 0, at: deadline)
        loop.advanceTime(by: .seconds(10))
        #expect(old.fired.isEmpty)
        #expect(new.fired.count == 1)
        #expect(new.fired.allSatisfy { $0 >= deadline })
    }

    @Test("many connections with spread deadlines each fire once")
    func many() {
        let loop = EmbeddedEventLoop()
        let wheel = ActivityTimerWheel<Connection>(eventLoop: loop)
        let connections = (0..<1000).map { _ in Connection(loop: loop) }
        for (slot, connection) in connections.enumerated() {
            wheel.schedule(connection, slot: UInt32(slot), at: loop.now + .milliseconds(Int64(slot * 37 % 200_000)))
        }
        loop.advanceTime(by: .seconds(201))
        #expect(connections.allSatisfy { $0.fired.count == 1 })
    }
}
