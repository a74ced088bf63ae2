import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// One reconnecting connection to Redis, the common part of ``RedisClient`` and
/// ``RedisSubscription``: connects, AUTHs and SELECTs as the address says, lets the role finish the
/// handshake (`prepare`), and after any loss waits (``RedisReconnectPolicy``) and starts over, until
/// shut down. The decisions are ``RedisLinkStateMachine``'s; this class carries them out.
///
/// Sendable by confinement: the mutable state below is only touched on `eventLoop`, which is also
/// the loop of every channel it makes.
final class RedisLink: @unchecked Sendable {
    let eventLoop: any EventLoop
    private let address: RedisAddress
    private let logger: Logger
    private let forwardsUnmatched: Bool
    private let prepare: @Sendable (any Channel) -> EventLoopFuture<Void>
    private let onStateChange: @Sendable (RedisLinkState) -> Void
    private let allocator = ByteBufferAllocator()
    private let readiness = NIOLockedValueBox(false)

    private let attemptTimeout: TimeAmount
    private var machine: RedisLinkStateMachine
    private var channel: (any Channel)?
    private var handler: RedisCommandHandler?
    private var reconnectTask: Scheduled<Void>?
    private var isFlushScheduled = false
    private var shutdownPromise: EventLoopPromise<Void>?

    /// - Parameters:
    ///   - forwardsUnmatched: pass answers nobody waits for down the pipeline (pub/sub pushes).
    ///   - prepare: the role's part of the handshake on each new connection, after AUTH and SELECT;
    ///     runs on the loop, the link is ready once its future succeeds.
    init(
        address: RedisAddress,
        eventLoop: any EventLoop,
        logger: Logger,
        role: String,
        reconnect: RedisReconnectPolicy,
        forwardsUnmatched: Bool,
        prepare: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>,
        onStateChange: @escaping @Sendable (RedisLinkState) -> Void
    ) {
        var logger = logger
        logger[metadataKey: "redis.address"] = "\(address)"
        logger[metadataKey: "redis.role"] = "\(role)"
        self.address = address
        self.eventLoop = eventLoop
        self.logger = logger
        self.forwardsUnmatched = forwardsUnmatched
        self.prepare = prepare
        self.onStateChange = onStateChange
        self.attemptTimeout = reconnect.attemptTimeout
        self.machine = RedisLinkStateMachine(policy: reconnect)
    }

    var isReady: Bool { self.readiness.withLockedValue { $0 } }

    func start() {
        self.eventLoop.execute {
            guard self.machine.start() else { return }
            self.onStateChange(.connecting)
            self.connect()
        }
    }

    /// Stops reconnecting, closes the connection (failing every command in flight) and returns once
    /// it is closed. Calling it again waits for the same.
    func shutdown() async {
        try? await self.eventLoop.flatSubmit { self.beginShutdown() }.get()
    }

    /// Writes an encoded command, answering in order; fails at once with
    /// ``RedisError/disconnected`` unless ready. Hops to the loop, preserving each thread's order.
    func send(_ command: ByteBuffer) -> EventLoopFuture<RESPValue> {
        if self.eventLoop.inEventLoop { return self.sendOnLoop(command) }
        guard self.isReady else { return self.eventLoop.makeFailedFuture(RedisError.disconnected) }
        return self.eventLoop.flatSubmit { self.sendOnLoop(command) }
    }

    /// `arguments` as a RESP command (an array of bulk strings), `payload` as the last argument.
    func encode(_ arguments: [String], payload: ByteBuffer? = nil) -> ByteBuffer {
        let extra = payload?.readableBytes ?? 0
        var bytes = self.allocator.buffer(capacity: ByteBuffer.respCommandSize(arguments, extraBytes: extra))
        bytes.writeRESPArrayHeader(count: arguments.count + (payload == nil ? 0 : 1))
        for argument in arguments { bytes.writeRESPBulkString(argument) }
        if let payload { bytes.writeRESPBulkString(payload) }
        return bytes
    }

    private func sendOnLoop(_ command: ByteBuffer) -> EventLoopFuture<RESPValue> {
        guard self.machine.state == .ready, let channel = self.channel else {
            return self.eventLoop.makeFailedFuture(RedisError.disconnected)
        }
        return self.write(command, on: channel)
    }

    private func write(_ command: ByteBuffer, on channel: any Channel) -> EventLoopFuture<RESPValue> {
        let reply = self.eventLoop.makePromise(of: RESPValue.self)
        channel.write(RedisCommandHandler.Command(bytes: command, reply: reply), promise: nil)
        // One flush for every command written before the loop gets to it: pipelined writes batch.
        if !self.isFlushScheduled {
            self.isFlushScheduled = true
            self.eventLoop.execute {
                self.isFlushScheduled = false
                self.channel?.flush()
            }
        }
        return reply.futureResult
    }

    private func connect() {
        let forwardsUnmatched = self.forwardsUnmatched
        ClientBootstrap(group: self.eventLoop)
            .connectTimeout(self.attemptTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(RESPDecoder()),
                        RedisCommandHandler(forwardsUnmatched: forwardsUnmatched)
                    )
                }
            }
            .connect(host: self.address.host, port: self.address.port)
            .hop(to: self.eventLoop)
            .whenComplete { result in
                switch result {
                case .success(let channel): self.connected(channel)
                case .failure(let error): self.lost(reason: "\(error)")
                }
            }
    }

    private func connected(_ channel: any Channel) {
        self.channel = channel
        self.handler = try? channel.pipeline.syncOperations.handler(type: RedisCommandHandler.self)
        channel.closeFuture.whenComplete { _ in self.closed(channel) }
        guard self.machine.connected() else {
            channel.close(promise: nil)
            return
        }
        let timeout = self.eventLoop.scheduleTask(in: self.attemptTimeout) {
            guard self.channel === channel, self.machine.state == .handshaking else { return }
            self.handler?.noteCloseReason("no answer to the handshake in time")
            channel.close(promise: nil)
        }
        self.handshake(on: channel).whenComplete { result in
            timeout.cancel()
            guard self.channel === channel else { return }
            switch result {
            case .success:
                guard self.machine.handshakeSucceeded() else { return }
                self.readiness.withLockedValue { $0 = true }
                self.logger.info("Redis connection ready")
                self.onStateChange(.ready)
            case .failure(let error):
                self.handler?.noteCloseReason("handshake failed: \(error)")
                channel.close(promise: nil)
            }
        }
    }

    private func handshake(on channel: any Channel) -> EventLoopFuture<Void> {
        var done = self.eventLoop.makeSucceededVoidFuture()
        if let password = self.address.password {
            let auth = self.encode(["AUTH", password])
            done = done.flatMap { self.expectOK(auth, on: channel) }
        }
        if self.address.database != 0 {
            let select = self.encode(["SELECT", String(self.address.database)])
            done = done.flatMap { self.expectOK(select, on: channel) }
        }
        return done.flatMap { self.prepare(channel) }
    }

    private func expectOK(_ command: ByteBuffer, on channel: any Channel) -> EventLoopFuture<Void> {
        self.write(command, on: channel).flatMapThrowing { reply in
            guard reply == .simpleString("OK") else { throw RedisError.protocolViolation("expected OK, got \(reply)") }
        }
    }

    private func closed(_ channel: any Channel) {
        guard self.channel === channel else { return }
        let reason = self.handler?.closeReason ?? "connection closed by the server"
        self.channel = nil
        self.handler = nil
        self.readiness.withLockedValue { $0 = false }
        self.lost(reason: reason)
    }

    private func lost(reason: String) {
        switch self.machine.connectionLost() {
        case .reconnect(let delay, let report):
            if report {
                self.logger.notice(
                    "Redis connection lost, reconnecting",
                    metadata: ["reason": "\(reason)", "redis.retry-in-ms": "\(delay.nanoseconds / 1_000_000)"]
                )
                self.onStateChange(.disconnected(reason: reason))
            } else {
                self.logger.debug("Redis connection attempt failed", metadata: ["reason": "\(reason)"])
            }
            self.reconnectTask = self.eventLoop.scheduleTask(in: delay) {
                self.reconnectTask = nil
                if self.machine.reconnectDelayElapsed() { self.connect() }
            }
        case .finishShutdown:
            self.shutdownPromise?.succeed()
        case .none:
            break
        }
    }

    private func beginShutdown() -> EventLoopFuture<Void> {
        let promise = self.shutdownPromise ?? self.eventLoop.makePromise()
        self.shutdownPromise = promise
        self.readiness.withLockedValue { $0 = false }
        switch self.machine.shutdown() {
        case .finish:
            self.reconnectTask?.cancel()
            self.reconnectTask = nil
            promise.succeed()
        case .close:
            // Without a channel yet, the attempt under way is closed as soon as it connects.
            self.channel?.close(promise: nil)
        case .none:
            break
        }
        return promise.futureResult
    }
}
