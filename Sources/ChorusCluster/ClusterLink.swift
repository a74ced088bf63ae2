package import ChorusRedis
package import Logging
package import NIOCore
import Synchronization

/// This node's link to the rest of its cluster: one Redis connection publishes, one subscribes
/// to the cluster's channel. It heartbeats, says hello when it (re)connects, notices dead nodes,
/// and hands every message — its own events too, in Redis's order — to the server.
package final class ClusterLink: Sendable {
    /// How the link reaches Redis and judges the other nodes.
    package struct Settings: Sendable {
        package var address: RedisAddress
        /// Prefixes the Redis channel, so several clusters can share one Redis.
        package var prefix: String
        package var heartbeatInterval: TimeAmount
        /// Silence after which another node counts as dead.
        package var nodeTimeout: TimeAmount
        /// How long after its hello came back the node waits for the others' state before it
        /// serves (answers `/up`, accepts publishes).
        package var catchUpGrace: TimeAmount

        package init(
            address: RedisAddress,
            prefix: String,
            heartbeatInterval: TimeAmount = .seconds(1),
            nodeTimeout: TimeAmount = .seconds(5),
            catchUpGrace: TimeAmount = .milliseconds(250)
        ) {
            self.address = address
            self.prefix = prefix
            self.heartbeatInterval = heartbeatInterval
            self.nodeTimeout = nodeTimeout
            self.catchUpGrace = catchUpGrace
        }

        /// The one Redis channel every message travels on (one channel: one order).
        package var channel: String { "\(prefix):cluster" }
    }

    /// What the link tells the server, always on ``eventLoop`` and in order.
    package enum Event: Sendable {
        /// A message from Redis: another node's, or this node's own events coming back.
        case message(ClusterEnvelope)
        /// Both connections are up and the hello is out: the server sends its state.
        case connected
        /// The others' state had time to arrive: the node serves.
        case ready
        /// Redis is out of reach: the node serves its own subscribers only.
        case unavailable(reason: String)
        /// Another node said goodbye or went silent: forget its share.
        case nodeGone(NodeID)
    }

    private enum Phase: Equatable {
        case down
        /// Subscribed; waiting for the hello to come back and the grace to pass.
        case catchingUp(helloSent: Bool)
        case ready
    }

    private struct State {
        var subscription: RedisSubscription?
        var handler: (@Sendable (Event) -> Void)?
        var membership: ClusterMembership
        var phase = Phase.down
        var subscribed = false
        var heartbeat: RepeatedTask?
        var stopped = false
        var nextSequence: UInt64 = 0
        /// This node's messages on their way through Redis, by sequence.
        var awaiting: [UInt64: EventLoopPromise<Void>] = [:]
    }

    /// Why ``publish(_:)`` failed.
    package enum PublishError: Error, Sendable {
        /// Redis is out of reach (or was lost before the message came back).
        case unavailable
        /// The message did not come back within ``echoTimeout``.
        case timedOut
    }

    /// How long ``publish(_:)`` waits for its message to come back from Redis.
    package static let echoTimeout = TimeAmount.seconds(5)

    package let node: NodeID
    package let settings: Settings
    /// Where every ``Event`` is delivered.
    package let eventLoop: any EventLoop
    private let logger: Logger
    private let client: RedisClient
    private let state: Mutex<State>

    package init(settings: Settings, node: NodeID = .random(), eventLoop: any EventLoop, logger: Logger) {
        self.node = node
        self.settings = settings
        self.eventLoop = eventLoop
        var logger = logger
        logger[metadataKey: "node"] = .string(node.rawValue)
        self.logger = logger
        self.state = Mutex(State(membership: ClusterMembership(timeout: settings.nodeTimeout)))
        let box = WeakLink()
        self.client = RedisClient(address: settings.address, eventLoop: eventLoop, logger: logger) { link in
            box.link?.eventLoop.execute { box.link?.clientChanged(link) }
        }
        box.link = self
    }

    /// Whether the node can relay now: connected both ways and caught up.
    package var isReady: Bool {
        state.withLock { $0.phase == .ready } && client.isReady
    }

    /// The other nodes alive as far as this node knows.
    package var peers: [NodeID] {
        state.withLock { $0.membership.nodes }
    }

    /// Whether this node is the one that speaks for the cluster about a dead node (webhooks):
    /// the lowest id among the live nodes.
    package var speaksForCluster: Bool {
        state.withLock { state in state.membership.nodes.allSatisfy { node < $0 } }
    }

    /// Connects and keeps reconnecting until ``shutdown()``; `handler` receives every ``Event``.
    package func start(handler: @escaping @Sendable (Event) -> Void) {
        let subscription = RedisSubscription(
            address: settings.address,
            channels: [settings.channel],
            eventLoop: eventLoop,
            logger: logger,
            onMessage: { [weak self] _, payload in self?.received(payload) },
            onStateChange: { [weak self] link in
                guard let self else { return }
                self.eventLoop.execute { self.subscriptionChanged(link) }
            }
        )
        let interval = settings.heartbeatInterval
        let heartbeat = eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [weak self] _ in
            self?.tick()
        }
        state.withLock { state in
            state.subscription = subscription
            state.handler = handler
            state.heartbeat = heartbeat
        }
        client.start()
        subscription.start()
    }

    /// Publishes `message` to every node (this one included); `false` when Redis is out of reach
    /// and nothing was sent. A publish that fails on its way is logged.
    @discardableResult
    package func send(_ message: ClusterMessage) -> Bool {
        guard client.isReady else { return false }
        let payload = ClusterEnvelope(sender: node, message: message).encoded()
        client.publish(payload, to: settings.channel).whenFailure { [logger] error in
            logger.warning("cluster publish failed", metadata: ["error": "\(error)"])
        }
        return true
    }

    /// Publishes `message` to every node and succeeds once it came back to this node from Redis —
    /// so Redis took it, and every node received it in the same position of the stream. Fails
    /// when Redis is out of reach, is lost on the way, or does not echo within ``echoTimeout``.
    package func publish(_ message: ClusterMessage) -> EventLoopFuture<Void> {
        guard client.isReady else { return eventLoop.makeFailedFuture(PublishError.unavailable) }
        let promise = eventLoop.makePromise(of: Void.self)
        let sequence = state.withLock { state in
            state.nextSequence += 1
            state.awaiting[state.nextSequence] = promise
            return state.nextSequence
        }
        let payload = ClusterEnvelope(sender: node, message: message, sequence: sequence).encoded()
        client.publish(payload, to: settings.channel).whenFailure { [weak self] _ in
            self?.settle(sequence, with: .failure(PublishError.unavailable))
        }
        eventLoop.scheduleTask(in: Self.echoTimeout) { [weak self] in
            self?.settle(sequence, with: .failure(PublishError.timedOut))
        }
        return promise.futureResult
    }

    private func settle(_ sequence: UInt64, with result: Result<Void, any Error>) {
        state.withLock { $0.awaiting.removeValue(forKey: sequence) }?.completeWith(result)
    }

    /// Says goodbye (so the others forget this node at once) and closes both connections.
    package func shutdown() async {
        let (subscription, heartbeat) = state.withLock { state in
            state.stopped = true
            state.phase = .down
            state.handler = nil
            return (state.subscription, state.heartbeat)
        }
        heartbeat?.cancel()
        if client.isReady {
            let payload = ClusterEnvelope(sender: node, message: .goodbye).encoded()
            _ = try? await client.publish(payload, to: settings.channel).get()
        }
        await subscription?.shutdown()
        await client.shutdown()
    }

    // MARK: On the event loop

    private func emit(_ event: Event) {
        state.withLock { $0.handler }?(event)
    }

    private func subscriptionChanged(_ link: RedisLinkState) {
        switch link {
        case .ready:
            let restored = state.withLock { state in
                guard !state.stopped else { return false }
                state.subscribed = true
                state.phase = .catchingUp(helloSent: false)
                state.membership.linkRestored(now: .now())
                return true
            }
            if restored { sayHello() }
        case .disconnected(let reason):
            lost(reason)
        case .connecting:
            break
        }
    }

    private func clientChanged(_ link: RedisLinkState) {
        switch link {
        case .ready: sayHello()
        case .disconnected(let reason): lost(reason)
        case .connecting: break
        }
    }

    /// Once both connections are up: the server sends its state, then the hello asks the others
    /// for theirs.
    private func sayHello() {
        let due = state.withLock { state in
            guard state.subscribed, state.phase == .catchingUp(helloSent: false), client.isReady else { return false }
            state.phase = .catchingUp(helloSent: true)
            return true
        }
        guard due else { return }
        emit(.connected)
        send(.hello)
    }

    private func lost(_ reason: String) {
        let (wasUp, awaiting) = state.withLock { state in
            let wasUp = state.phase != .down
            state.phase = .down
            state.subscribed = false
            defer { state.awaiting = [:] }
            return (wasUp, state.awaiting.values)
        }
        for promise in awaiting { promise.fail(PublishError.unavailable) }
        guard wasUp else { return }
        logger.warning("cluster link lost; serving local subscribers only", metadata: ["reason": .string(reason)])
        emit(.unavailable(reason: reason))
    }

    private func received(_ payload: ByteBuffer) {
        let envelope: ClusterEnvelope
        do {
            envelope = try ClusterEnvelope(decoding: payload)
        } catch {
            logger.warning("unreadable cluster message ignored", metadata: ["error": "\(error)"])
            return
        }
        guard envelope.sender != node else {
            if let sequence = envelope.sequence { settle(sequence, with: .success(())) }
            if case .hello = envelope.message { helloReturned() }
            if case .heartbeat = envelope.message { return }
            emit(.message(envelope))
            return
        }
        switch envelope.message {
        case .goodbye:
            if state.withLock({ $0.membership.left(envelope.sender) }) {
                logger.info("node left the cluster", metadata: ["peer": .string(envelope.sender.rawValue)])
                emit(.nodeGone(envelope.sender))
            }
            return
        default:
            if state.withLock({ $0.membership.heard(envelope.sender, at: .now()) }) {
                logger.info("node joined the cluster", metadata: ["peer": .string(envelope.sender.rawValue)])
            }
        }
        if case .heartbeat = envelope.message { return }
        emit(.message(envelope))
    }

    private func helloReturned() {
        eventLoop.scheduleTask(in: settings.catchUpGrace) { [weak self] in
            guard let self else { return }
            let nowReady = self.state.withLock { state in
                guard state.phase == .catchingUp(helloSent: true) else { return false }
                state.phase = .ready
                return true
            }
            guard nowReady else { return }
            self.logger.info("cluster link ready", metadata: ["peers": .stringConvertible(self.peers.count)])
            self.emit(.ready)
        }
    }

    private func tick() {
        let dead = state.withLock { state -> [NodeID] in
            guard state.phase != .down else { return [] }
            return state.membership.expire(now: .now())
        }
        send(.heartbeat)
        for node in dead {
            logger.warning(
                "node silent past the timeout; removing its state",
                metadata: ["peer": .string(node.rawValue)]
            )
            emit(.nodeGone(node))
        }
    }
}

/// Lets the command client's state callback reach the link created after it.
private final class WeakLink: @unchecked Sendable {
    weak var link: ClusterLink?
}
