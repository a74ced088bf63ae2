import ChorusServer
import ChorusTesting
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOWebSocket
import Testing

@Suite("HTTP connection timeouts: slow heads, stalled bodies, idle keep-alive, removal on upgrade")
struct HTTPTimeoutTests {
    static let timeouts = HTTPTimeouts(header: .seconds(10), body: .seconds(5), idle: .seconds(60))
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test("state machine: a silent new connection is closed, a begun head times out with 408")
    func headDeadline() {
        var silent = HTTPTimeoutStateMachine(timeouts: Self.timeouts, openedAt: Self.start)
        #expect(silent.initialAction == .schedule(Self.start + .seconds(10)))
        #expect(silent.deadlineReached(now: Self.start + .seconds(9)) == .schedule(Self.start + .seconds(10)))
        #expect(silent.deadlineReached(now: Self.start + .seconds(10)) == .close)

        var slow = HTTPTimeoutStateMachine(timeouts: Self.timeouts, openedAt: Self.start)
        // Bytes do not move the head's deadline: one byte a second cannot keep a connection.
        #expect(slow.bytesReceived(now: Self.start + .seconds(9)) == .none)
        #expect(slow.deadlineReached(now: Self.start + .seconds(10)) == .timeOut)
        #expect(slow.bytesReceived(now: Self.start + .seconds(11)) == .none)
        #expect(slow.headReceived(now: Self.start + .seconds(11)) == .none)
    }

    @Test("state machine: a body times out after a silence, not while it keeps coming")
    func bodySilence() {
        var machine = HTTPTimeoutStateMachine(timeouts: Self.timeouts, openedAt: Self.start)
        #expect(machine.headReceived(now: Self.start + .seconds(1)) == .schedule(Self.start + .seconds(6)))
        #expect(machine.bytesReceived(now: Self.start + .seconds(4)) == .none)
        #expect(machine.deadlineReached(now: Self.start + .seconds(6)) == .schedule(Self.start + .seconds(9)))
        #expect(machine.deadlineReached(now: Self.start + .seconds(9)) == .timeOut)
    }

    @Test("state machine: no timer while the server answers; idle after the response, header time on its first byte")
    func keepAlive() {
        var machine = HTTPTimeoutStateMachine(timeouts: Self.timeouts, openedAt: Self.start)
        _ = machine.headReceived(now: Self.start)
        #expect(machine.requestReceived() == .cancel)
        #expect(machine.deadlineReached(now: Self.start + .seconds(100)) == .none)
        let answered = Self.start + .seconds(100)
        #expect(machine.responseSent(now: answered) == .schedule(answered + .seconds(60)))
        #expect(machine.bytesReceived(now: answered + .seconds(30)) == .schedule(answered + .seconds(40)))
        #expect(machine.deadlineReached(now: answered + .seconds(40)) == .timeOut)

        var idle = HTTPTimeoutStateMachine(timeouts: Self.timeouts, openedAt: Self.start)
        _ = idle.responseSent(now: Self.start)
        #expect(idle.deadlineReached(now: Self.start + .seconds(60)) == .close)
    }

    @Test("a connection that sends nothing is closed at the header timeout, without an answer")
    func silentConnectionClosed() throws {
        let connection = try HTTPPipelineConnection(timeouts: Self.timeouts)
        connection.advance(by: .seconds(9))
        #expect(connection.channel.isActive)
        connection.advance(by: .seconds(1))
        #expect(!connection.channel.isActive)
        #expect(try connection.written() == "")
    }

    @Test("a head still incomplete at the header timeout is answered 408 with APIError's body, then closed")
    func slowHeadAnswered408() throws {
        let connection = try HTTPPipelineConnection(timeouts: Self.timeouts)
        try connection.send("GET /up HTTP/1.1\r\nX-Slow: ")
        for _ in 0..<9 {
            try connection.send("a")
            connection.advance(by: .seconds(1))
        }
        #expect(connection.channel.isActive)
        connection.advance(by: .seconds(1))
        let answer = try connection.written()
        #expect(answer.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
        #expect(answer.contains("Connection: close\r\n"))
        #expect(answer.hasSuffix(String(buffer: APIError.requestTimeout.response.body)))
        #expect(!connection.channel.isActive)
    }

    @Test("a body that stops short of its Content-Length is answered 408 after the body timeout")
    func stalledBodyAnswered408() throws {
        let connection = try HTTPPipelineConnection(timeouts: Self.timeouts)
        try connection.send("POST /apps/1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        connection.advance(by: .seconds(4))
        try connection.send("\"a\"")
        connection.advance(by: .seconds(4))
        #expect(connection.channel.isActive)
        connection.advance(by: .seconds(1))
        #expect(try connection.written().hasPrefix("HTTP/1.1 408"))
        #expect(!connection.channel.isActive)
    }

    @Test("a keep-alive connection waits the idle timeout, not the header timeout, for its next request")
    func idleKeepAlive() throws {
        let connection = try HTTPPipelineConnection(timeouts: Self.timeouts)
        try connection.send("GET /up HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try connection.written().hasPrefix("HTTP/1.1 200"))
        connection.advance(by: .seconds(59))
        #expect(connection.channel.isActive)
        try connection.send("GET /up HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try connection.written().hasPrefix("HTTP/1.1 200"))
        connection.advance(by: .seconds(59))
        #expect(connection.channel.isActive)
        connection.advance(by: .seconds(1))
        #expect(!connection.channel.isActive)
        #expect(try connection.written() == "")
    }

    @Test("a WebSocket upgrade removes the timeouts: the upgraded connection outlives every one of them")
    func upgradeRemovesTimeouts() throws {
        let upgrader = NIOWebSocketServerUpgrader(
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
            upgradePipelineHandler: { channel, _ in channel.eventLoop.makeSucceededVoidFuture() }
        )
        let connection = try HTTPPipelineConnection(timeouts: Self.timeouts, upgraders: [upgrader])
        try connection.send(
            "GET /app/key HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        connection.channel.embeddedEventLoop.run()
        let answer = try connection.written()
        #expect(answer.hasPrefix("HTTP/1.1 101"), "\(answer)")
        for name in ["chorus-http-timeout", "chorus-http-errors", "chorus-http"] {
            #expect(throws: (any Error).self) { try connection.channel.pipeline.syncOperations.context(name: name) }
        }
        connection.advance(by: .seconds(3600))
        #expect(connection.channel.isActive)
    }
}
