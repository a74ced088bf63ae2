package import ChorusCore
package import ChorusProtocol
package import NIOCore
import NIOWebSocket

/// The Pusher protocol of one connection, without I/O: every input (a frame, a timer, a request
/// of the server, the outcome of a registry call) moves the session's state and returns the
/// ``PusherSessionAction``s that ``PusherConnectionHandler`` carries out.
///
/// Time comes in with each input, so tests drive pings, pong timeouts and rate limits without
/// waiting.
package struct PusherSessionStateMachine {
    /// Where the session is in its life.
    package enum State: Equatable {
        /// The WebSocket is open; the Pusher handshake has not been sent.
        case awaitingHandshake
        /// `pusher:connection_established` was sent; the session serves messages.
        case open
        /// A close frame is on its way or was received; nothing more is served.
        /// `registered` says whether the session joined the engine (and must leave it).
        case closing(registered: Bool)
        /// The TCP connection is gone.
        case closed
    }

    package let socketID: String
    /// The app of the key in the URL; `nil` when no app has that key.
    package var app: AppConfiguration? { served?.configuration }
    private let served: ServedApp?
    package let activityTimeoutSeconds: Int
    private let rejection: PusherErrorCode?
    private let rejectionReason: String?
    /// The event naming the client speaks (protocol 2: `sockudo:`); messages are renamed at the edge.
    package let dialect: ProtocolDialect
    /// The upgrade's `Origin` header, checked against the app's `allowed_origins`.
    private let origin: String?
    package internal(set) var state = State.awaitingHandshake
    private var activity: ActivityMonitor
    var clientEvents: ClientEventRateLimiter
    /// Channel name → what the session remembers of that subscription.
    package internal(set) var subscriptions: [String: SessionSubscription] = [:]
    package internal(set) var signedInUser: String?
    /// The algorithms the client offered in `pusher:enable_delta_compression`, in its order of
    /// preference; `nil` until it sends one. New subscriptions then take deltas.
    package internal(set) var deltaOffer: [DeltaAlgorithm]?

    package init(
        socketID: String,
        request: ConnectionRequest,
        app: ServedApp?,
        activityTimeoutSeconds: Int,
        pongTimeoutSeconds: Int,
        now: NIODeadline
    ) {
        self.socketID = socketID
        self.served = app
        self.rejection = request.rejection
        self.rejectionReason = request.rejectionReason
        self.dialect = request.dialect
        self.origin = request.origin
        self.activityTimeoutSeconds = activityTimeoutSeconds
        self.activity = ActivityMonitor(
            activityTimeout: .seconds(Int64(activityTimeoutSeconds)),
            pongTimeout: .seconds(Int64(pongTimeoutSeconds)),
            now: now
        )
        self.clientEvents = ClientEventRateLimiter(limitPerSecond: app?.configuration.maxClientEventsPerSecond ?? 10)
    }

    /// Whether the session serves Pusher messages.
    private var isOpen: Bool { state == .open }

    // MARK: Lifecycle

    /// The WebSocket is up: refuse it (bad request, unknown or disabled app, an `Origin` outside the
    /// app's `allowed_origins`: 4009), or ask to register.
    package mutating func connectionActive() -> [PusherSessionAction] {
        guard state == .awaitingHandshake else { return [] }
        let refusal: PusherErrorCode? =
            if let rejection { rejection } else if let app {
                if !app.enabled { .appDisabled } else if !app.allowsOrigin(origin) { .unauthorized } else { nil }
            } else {
                .appDoesNotExist
            }
        if let refusal {
            state = .closing(registered: false)
            return [
                .refuse(refusal, reason: refusal == rejection ? rejectionReason ?? refusal.meaning : refusal.meaning)
            ]
        }
        return [.register]
    }

    /// The engine and the registry took the connection: send the handshake and start the activity timer.
    package mutating func registered(now: NIODeadline) -> [PusherSessionAction] {
        guard state == .awaitingHandshake else { return [] }
        state = .open
        activity.recordActivity(now: now)
        return [
            .send(.connectionEstablished(socketID: socketID, activityTimeout: activityTimeoutSeconds)),
            .scheduleActivityCheck(activity.activityTimeout),
        ]
    }

    /// The app is over its connection quota.
    package mutating func registrationRefused() -> [PusherSessionAction] {
        guard state == .awaitingHandshake else { return [] }
        state = .closing(registered: false)
        return [.refuse(.overConnectionQuota, reason: PusherErrorCode.overConnectionQuota.meaning)]
    }

    /// The server closes the connection: `terminate_connections`, its app disabled, or shutdown.
    package mutating func closeRequested(_ reason: ServerCloseReason) -> [PusherSessionAction] {
        switch reason {
        case .terminatedByApp: close(.unauthorized, message: "Connection terminated by the application")
        case .serverShutdown: close(.genericReconnect, message: "Server shutting down; reconnect")
        case .appDisabled: close(.appDisabled, message: PusherErrorCode.appDisabled.meaning)
        }
    }

    /// The TCP connection is gone: leave every channel, the watchlists and the engine.
    package mutating func connectionClosed() -> [PusherSessionAction] {
        let wasRegistered: Bool =
            switch state {
            case .open: true
            case .closing(let registered): registered
            case .awaitingHandshake, .closed: false
            }
        state = .closed
        guard wasRegistered else { return [] }
        var actions: [PusherSessionAction] = subscriptions.sorted { $0.key < $1.key }.map { .leave(channel: $0, $1) }
        subscriptions = [:]
        if let signedInUser { actions.append(.signOut(userID: signedInUser)) }
        actions.append(.unregister)
        return actions
    }

    /// Closes with `pusher:error` and a close frame carrying `code`.
    private mutating func close(_ code: PusherErrorCode, message: String) -> [PusherSessionAction] {
        guard isOpen else { return [] }
        state = .closing(registered: true)
        return [.close(code, message: message)]
    }

    // MARK: Frames

    /// A text frame: one Pusher message. Text that is not UTF-8 closes the connection (1007).
    package mutating func textReceived(_ bytes: some Collection<UInt8>, now: NIODeadline) -> [PusherSessionAction] {
        activity.recordActivity(now: now)
        guard isOpen else { return [] }
        guard String(validating: bytes, as: UTF8.self) != nil else { return protocolViolation(.invalidUTF8) }
        var message: PusherMessage
        do {
            message = try PusherMessage(parsing: bytes)
        } catch {
            return [.send(.error("Invalid message: \(error)", code: nil))]
        }
        message.event = dialect.incoming(message.event)
        return messageReceived(message, now: now)
    }

    /// A binary frame: Pusher speaks text only.
    package mutating func binaryReceived(now: NIODeadline) -> [PusherSessionAction] {
        activity.recordActivity(now: now)
        guard isOpen else { return [] }
        return [.send(.error("Binary frames are not supported; send JSON text frames", code: nil))]
    }

    /// A WebSocket ping: answered with a pong carrying its payload, unless the session is closing
    /// (nothing follows the server's close frame).
    package mutating func pingReceived(payload: ByteBuffer, now: NIODeadline) -> [PusherSessionAction] {
        activity.recordActivity(now: now)
        guard isOpen else { return [] }
        return [.pong(payload)]
    }

    /// A WebSocket pong: counts as activity.
    package mutating func pongReceived(now: NIODeadline) {
        activity.recordActivity(now: now)
    }

    /// The client's close frame: answered with its code, or with 1002 / 1007 when the code or the
    /// reason is not one a client may send; after the server's own close frame it completes the
    /// closing handshake.
    package mutating func closeReceived(payload: ByteBuffer, now: NIODeadline) -> [PusherSessionAction] {
        activity.recordActivity(now: now)
        switch state {
        case .closing:
            return [.finishClose]
        case .closed:
            return []
        case .awaitingHandshake, .open:
            state = .closing(registered: state == .open)
        }
        var payload = payload
        guard payload.readableBytes > 0 else { return [.answerClose(.normalClosure, reason: ""), .finishClose] }
        let answer: WebSocketErrorCode
        let reason: String
        if let code = payload.readInteger(as: UInt16.self), WebSocketViolation.isValidCloseCode(code) {
            if String(validating: payload.readableBytesView, as: UTF8.self) != nil {
                (answer, reason) = (WebSocketErrorCode(codeNumber: Int(code)), "")
            } else {
                (answer, reason) = (WebSocketViolation.invalidUTF8.closeCode, WebSocketViolation.invalidUTF8.reason)
            }
        } else {
            let violation = WebSocketViolation.invalidClosePayload
            (answer, reason) = (violation.closeCode, violation.reason)
        }
        return [.answerClose(answer, reason: reason), .finishClose]
    }

    /// A frame broke RFC 6455: close with the violation's code.
    package mutating func protocolViolation(_ violation: WebSocketViolation) -> [PusherSessionAction] {
        switch state {
        case .closing, .closed: return []
        case .awaitingHandshake, .open: state = .closing(registered: state == .open)
        }
        return [.closeForProtocolError(violation.closeCode, reason: violation.reason)]
    }

    // MARK: Activity

    /// The activity timer fired: ping a silent client, or close one that did not answer (4201).
    package mutating func activityCheckDue(now: NIODeadline) -> [PusherSessionAction] {
        guard isOpen else { return [] }
        switch activity.check(now: now) {
        case .wait(let delay):
            return [.scheduleActivityCheck(delay)]
        case .sendPing(let delay):
            return [.send(PusherMessage(event: PusherEventName.ping, data: [:])), .scheduleActivityCheck(delay)]
        case .closeForMissingPong:
            return close(.pongNotReceived, message: PusherErrorCode.pongNotReceived.meaning)
        }
    }

    // MARK: Messages

    private mutating func messageReceived(_ message: PusherMessage, now: NIODeadline) -> [PusherSessionAction] {
        switch message.event {
        case PusherEventName.ping: return [.send(.pong)]
        case PusherEventName.pong: return []
        case PusherEventName.subscribe: return subscribe(message)
        case PusherEventName.unsubscribe: return unsubscribe(message)
        case PusherEventName.signin: return signIn(message)
        case PusherEventName.enableDeltaCompression: return enableDeltaCompression(message)
        case PusherEventName.deltaSyncError: return deltaSyncError(message)
        case let name where PusherEventName.isClientEvent(name): return clientEvent(message, now: now)
        case let name where PusherEventName.isReserved(name): return []
        default:
            let reason = "Unknown event '\(message.event)': clients may send pusher: events and client- events"
            return [.send(.error(reason, code: nil))]
        }
    }

    /// Records a subscription whose ``PusherSessionAction/join(_:)`` the directory accepted;
    /// `cacheSync` is what the subscriber of a conflation channel is sent first.
    package mutating func joined(
        _ join: SubscriptionJoin,
        outcome: ChannelDirectory.Join,
        cacheSync: DeltaCacheSync? = nil
    ) -> [PusherSessionAction] {
        guard let app else { return [] }
        let channel = join.channel
        subscriptions[channel.rawValue] = SessionSubscription(
            presenceUserID: join.member?.userID,
            delta: join.delta,
            filtersEventNames: join.filter?.filtersEventNames ?? false
        )
        var actions: [PusherSessionAction] = []
        if channel.kind == .presence {
            actions.append(.send(.presenceSubscriptionSucceeded(channel: channel.rawValue, members: outcome.roster)))
        } else {
            actions.append(.send(.subscriptionSucceeded(channel: channel.rawValue)))
        }
        if let algorithm = join.delta, join.confirmsDelta {
            actions.append(.send(.deltaCompressionEnabled(algorithm: algorithm, channel: channel.rawValue)))
        }
        if let cacheSync { actions.append(.send(cacheSync.message)) }
        if channel.isCache {
            if let cached = outcome.cached {
                actions.append(.sendFrame(cached.frame))
            } else {
                actions.append(.send(.cacheMiss(channel: channel.rawValue)))
            }
        }
        if let member = join.member, outcome.memberAdded {
            let added = PusherMessage.memberAdded(channel: channel.rawValue, member: member)
            actions.append(.publish(added, presenceVersion: outcome.presenceVersion, excludingSelf: true))
        }
        if !app.webhooks.isEmpty {
            if outcome.isFirstSubscriber { actions.append(.webhook(.channelOccupied(channel.rawValue))) }
            if let member = join.member, outcome.memberAdded {
                actions.append(.webhook(.memberAdded(channel.rawValue, userID: member.userID)))
            }
            if channel.isCache, outcome.cached == nil { actions.append(.webhook(.cacheMiss(channel.rawValue))) }
        }
        if app.subscriptionCountEnabled, channel.kind != .presence {
            actions.append(.countSubscriptions(channel: channel.rawValue, count: outcome.subscriptionCount))
        }
        return actions
    }

    /// The presence channel of `join` is full.
    package func joinRefused(_ join: SubscriptionJoin) -> [PusherSessionAction] {
        [.refuseSubscription(channel: join.channel.rawValue, .presenceChannelFull(limit: app?.maxPresenceMembers ?? 0))]
    }

    /// Announces a departure the directory recorded.
    package func left(
        channel: String,
        subscription: SessionSubscription,
        outcome: ChannelDirectory.Leave
    ) -> [PusherSessionAction] {
        guard let app else { return [] }
        var actions: [PusherSessionAction] = []
        if let userID = subscription.presenceUserID, outcome.memberRemoved {
            let removed = PusherMessage.memberRemoved(channel: channel, userID: userID)
            actions.append(.publish(removed, presenceVersion: outcome.presenceVersion, excludingSelf: false))
            if !app.webhooks.isEmpty { actions.append(.webhook(.memberRemoved(channel, userID: userID))) }
        }
        if !app.webhooks.isEmpty, outcome.isLastSubscriber { actions.append(.webhook(.channelVacated(channel))) }
        if app.subscriptionCountEnabled, ChannelName(channel)?.kind != .presence {
            actions.append(.countSubscriptions(channel: channel, count: outcome.subscriptionCount))
        }
        return actions
    }
}
