import ChorusClient
import ChorusCore
import ChorusProtocol
import ChorusServer
import NIOCore
import NIOWebSocket
import Testing

/// The session state machine without any channel: every input and the actions it returns.
@Suite("Pusher session state machine")
struct PusherSessionStateMachineTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    static let socketID = "123.456"

    static func app(_ configure: (inout AppConfiguration) -> Void = { _ in }) -> AppConfiguration {
        var app = AppConfiguration(id: "1", key: "key", secret: "secret")
        configure(&app)
        return app
    }

    /// A machine for `uri`, registered (handshake sent) unless `open` is false.
    static func machine(
        app: AppConfiguration? = app(),
        uri: String = "/app/key?protocol=7",
        open: Bool = true
    ) throws -> PusherSessionStateMachine {
        var machine = PusherSessionStateMachine(
            socketID: socketID,
            request: try #require(ConnectionRequest(uri: uri)),
            app: app.map(ServedApp.init),
            activityTimeoutSeconds: 120,
            pongTimeoutSeconds: 30,
            now: start
        )
        if open {
            _ = machine.connectionActive()
            _ = machine.registered(now: start)
        }
        return machine
    }

    static func text(_ json: JSONValue) -> [UInt8] { Array(json.jsonText.utf8) }

    static func subscribe(_ data: JSONValue) -> [UInt8] { text(["event": "pusher:subscribe", "data": data]) }

    static let authenticator = ChannelAuthenticator(key: "key", secret: "secret")

    /// Subscribes to `channel` and reports the directory's acceptance; returns the actions of both.
    static func join(
        _ machine: inout PusherSessionStateMachine,
        _ data: JSONValue,
        outcome: ChannelDirectory.Join = .init(
            isFirstSubscriber: true,
            memberAdded: false,
            roster: [],
            cached: nil,
            subscriptionCount: 1,
            presenceVersion: 0
        )
    ) throws -> [PusherSessionAction] {
        let actions = machine.textReceived(subscribe(data), now: start)
        guard case .join(let join)? = actions.first else {
            Issue.record("expected a join, got \(actions.map(\.label))")
            return actions
        }
        return machine.joined(join, outcome: outcome)
    }

    // MARK: Handshake

    @Test("a known, enabled app registers, then sends connection_established and schedules the activity check")
    func handshake() throws {
        var machine = try Self.machine(open: false)
        #expect(machine.connectionActive().map(\.label) == ["register"])
        let actions = machine.registered(now: Self.start)
        #expect(actions.map(\.label) == ["send pusher:connection_established", "schedule 120s"])
        guard case .send(let established) = actions[0] else { return }
        #expect(established.dataObject?["socket_id"] == .string(Self.socketID))
        #expect(machine.state == .open)
    }

    @Test(
        "refusals before registration carry their Pusher code",
        arguments: [
            ("/app/key?protocol=7", false, true, PusherErrorCode.appDoesNotExist),
            ("/app/key?protocol=7", true, false, .appDisabled),
            ("/app/key?protocol=4", true, true, .unsupportedProtocolVersion),
            ("/app/key?protocol=seven", true, true, .invalidVersionFormat),
        ]
    )
    func refusals(uri: String, known: Bool, enabled: Bool, code: PusherErrorCode) throws {
        var machine = try Self.machine(app: known ? Self.app { $0.enabled = enabled } : nil, uri: uri, open: false)
        #expect(machine.connectionActive().map(\.label) == ["refuse \(code.rawValue)"])
        #expect(machine.state == .closing(registered: false))
        #expect(machine.textReceived(Self.text(["event": "pusher:ping"]), now: Self.start).isEmpty)
        #expect(machine.connectionClosed().isEmpty, "nothing to leave: it never registered")
    }

    @Test("an app over its connection quota is refused with 4004")
    func overQuota() throws {
        var machine = try Self.machine(open: false)
        _ = machine.connectionActive()
        #expect(machine.registrationRefused().map(\.label) == ["refuse 4004"])
        #expect(machine.registered(now: Self.start).isEmpty)
    }

    // MARK: Activity

    @Test("a silent client is pinged after the activity timeout and closed with 4201 without a pong")
    func activityAndPong() throws {
        var machine = try Self.machine()
        #expect(machine.activityCheckDue(now: Self.start + .seconds(119)).map(\.label) == ["schedule 1s"])
        #expect(
            machine.activityCheckDue(now: Self.start + .seconds(120)).map(\.label) == [
                "send pusher:ping", "schedule 30s",
            ]
        )
        #expect(machine.activityCheckDue(now: Self.start + .seconds(140)).map(\.label) == ["schedule 10s"])
        #expect(machine.activityCheckDue(now: Self.start + .seconds(150)).map(\.label) == ["close 4201"])
        #expect(machine.state == .closing(registered: true))
        #expect(machine.activityCheckDue(now: Self.start + .seconds(300)).isEmpty)
    }

    @Test("anything received answers the ping: the next check waits a whole activity timeout")
    func pongResetsActivity() throws {
        var machine = try Self.machine()
        _ = machine.activityCheckDue(now: Self.start + .seconds(120))
        machine.pongReceived(now: Self.start + .seconds(125))
        #expect(machine.activityCheckDue(now: Self.start + .seconds(150)).map(\.label) == ["schedule 95s"])
        #expect(
            machine.textReceived(Self.text(["event": "pusher:pong"]), now: Self.start + .seconds(200)).isEmpty
        )
        #expect(machine.activityCheckDue(now: Self.start + .seconds(245)).map(\.label) == ["schedule 75s"])
    }

    @Test("pusher:ping is answered with pusher:pong and a WebSocket ping with its payload")
    func pings() throws {
        var machine = try Self.machine()
        #expect(
            machine.textReceived(Self.text(["event": "pusher:ping"]), now: Self.start).map(\.label) == [
                "send pusher:pong"
            ]
        )
        let payload = ByteBuffer(string: "abc")
        guard case .pong(let echoed)? = machine.pingReceived(payload: payload, now: Self.start).first else {
            Issue.record("no pong")
            return
        }
        #expect(echoed == payload)
        _ = machine.closeRequested(.serverShutdown)
        #expect(machine.pingReceived(payload: payload, now: Self.start).isEmpty, "nothing after the close frame")
    }

    // MARK: Closing

    @Test("server-side closes: terminate_connections 4009, shutdown 4200, once")
    func serverCloses() throws {
        var terminated = try Self.machine()
        #expect(terminated.closeRequested(.terminatedByApp).map(\.label) == ["close 4009"])
        #expect(terminated.closeRequested(.serverShutdown).isEmpty)
        var shutdown = try Self.machine()
        #expect(shutdown.closeRequested(.serverShutdown).map(\.label) == ["close 4200"])
    }

    static func closePayload(code: UInt16?, reason: [UInt8] = []) -> ByteBuffer {
        var buffer = ByteBuffer()
        if let code { buffer.writeInteger(code) }
        buffer.writeBytes(reason)
        return buffer
    }

    @Test("a client close is answered with its code; after the server's own close it completes the handshake")
    func clientClose() throws {
        var machine = try Self.machine()
        #expect(
            machine.closeReceived(payload: Self.closePayload(code: 1001), now: Self.start).map(\.label) == [
                "answerClose 1001", "finishClose",
            ]
        )
        var empty = try Self.machine()
        #expect(
            empty.closeReceived(payload: ByteBuffer(), now: Self.start).map(\.label) == [
                "answerClose 1000", "finishClose",
            ]
        )
        var closing = try Self.machine()
        _ = closing.closeRequested(.serverShutdown)
        #expect(
            closing.closeReceived(payload: Self.closePayload(code: 1000), now: Self.start).map(\.label) == [
                "finishClose"
            ]
        )
    }

    @Test(
        "a close code no client may send is answered with 1002",
        arguments: [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535] as [UInt16]
    )
    func invalidCloseCodes(code: UInt16) throws {
        var machine = try Self.machine()
        #expect(
            machine.closeReceived(payload: Self.closePayload(code: code), now: Self.start).map(\.label) == [
                "answerClose 1002", "finishClose",
            ]
        )
    }

    @Test("valid close codes are echoed", arguments: [1000, 1003, 1007, 1014, 3000, 4999] as [UInt16])
    func validCloseCodes(code: UInt16) throws {
        var machine = try Self.machine()
        #expect(
            machine.closeReceived(payload: Self.closePayload(code: code), now: Self.start).first?.label
                == "answerClose \(code)"
        )
    }

    @Test("a one-byte close payload is answered with 1002, a reason that is not UTF-8 with 1007")
    func malformedClosePayloads() throws {
        var oneByte = try Self.machine()
        var payload = ByteBuffer()
        payload.writeInteger(UInt8(3))
        #expect(oneByte.closeReceived(payload: payload, now: Self.start).first?.label == "answerClose 1002")
        var badReason = try Self.machine()
        #expect(
            badReason.closeReceived(payload: Self.closePayload(code: 1000, reason: [0xC3, 0x28]), now: Self.start)
                .first?
                .label == "answerClose 1007"
        )
    }

    @Test("text that is not UTF-8 closes with 1007")
    func invalidUTF8() throws {
        var machine = try Self.machine()
        #expect(
            machine.textReceived([0x7B, 0xFF, 0x7D], now: Self.start).map(\.label) == ["closeForProtocolError 1007"]
        )
        #expect(machine.state == .closing(registered: true))
    }

    @Test(
        "protocol violations close with their RFC 6455 code; later frames are ignored",
        arguments: [
            (WebSocketViolation.messageTooLarge, 1009), (.unmaskedFrame, 1002), (.reservedBitsSet, 1002),
            (.reservedOpcode, 1002), (.invalidControlFrame, 1002), (.badFragmentSequence, 1002),
        ] as [(WebSocketViolation, UInt16)]
    )
    func protocolViolations(violation: WebSocketViolation, code: UInt16) throws {
        var machine = try Self.machine()
        #expect(machine.protocolViolation(violation).map(\.label) == ["closeForProtocolError \(code)"])
        #expect(machine.textReceived(Self.text(["event": "pusher:ping"]), now: Self.start).isEmpty)
        #expect(machine.protocolViolation(violation).isEmpty)
    }

    @Test("invalid JSON, binary frames and unknown events get pusher:error and leave the connection open")
    func badMessages() throws {
        var machine = try Self.machine()
        #expect(machine.textReceived(Array("{nope".utf8), now: Self.start).map(\.label) == ["send pusher:error"])
        #expect(machine.binaryReceived(now: Self.start).map(\.label) == ["send pusher:error"])
        #expect(
            machine.textReceived(Self.text(["event": "hello"]), now: Self.start).map(\.label) == ["send pusher:error"]
        )
        #expect(machine.textReceived(Self.text(["event": "pusher:made_up"]), now: Self.start).isEmpty)
        #expect(machine.state == .open)
    }

    // MARK: Subscriptions

    @Test(
        "a public subscription joins, is confirmed, and a repeated subscribe is confirmed again without a second join"
    )
    func publicSubscription() throws {
        var machine = try Self.machine()
        let actions = try Self.join(&machine, ["channel": "news"])
        #expect(actions.map(\.label) == ["send pusher_internal:subscription_succeeded"])
        #expect(machine.subscriptions["news"] == SessionSubscription(presenceUserID: nil, delta: nil))
        #expect(
            machine.textReceived(Self.subscribe(["channel": "news"]), now: Self.start).map(\.label) == ["confirm news"]
        )
    }

    @Test(
        "each subscription error has one type and one status",
        arguments: [
            (["channel": "bad channel!"], "InvalidChannel", 400),
            (["channel": "private-x"], "AuthError", 401),
            (["channel": "private-x", "auth": "key:0000"], "AuthError", 401),
            (["channel": "presence-x", "auth": "key:0000"], "AuthError", 401),
            (["channel": "#server-to-user-alice"], "AuthError", 401),
            (["channel": "news", "filter": ["op": "nonsense"]], "InvalidFilter", 400),
        ] as [(JSONValue, String, Int)]
    )
    func subscriptionErrors(data: JSONValue, type: String, status: Int) throws {
        var machine = try Self.machine()
        let actions = machine.textReceived(Self.subscribe(data), now: Self.start)
        guard case .refuseSubscription(_, let error)? = actions.first, actions.count == 1 else {
            Issue.record("expected one refusal, got \(actions.map(\.label))")
            return
        }
        #expect(error.type == type)
        #expect(error.status == status)
    }

    @Test("LimitReached is 403 both for a user_info over the limit and for a full presence channel")
    func limitReached() throws {
        var machine = try Self.machine(app: Self.app { $0.maxPresenceUserInfoBytes = 10 })
        let channelData = #"{"user_id":"alice","user_info":{"name":"a long name"}}"#
        let auth = Self.authenticator.channelAuth(
            socketID: Self.socketID,
            channel: "presence-x",
            channelData: channelData
        )
        let data: JSONValue = ["channel": "presence-x", "auth": .string(auth), "channel_data": .string(channelData)]
        guard
            case .refuseSubscription(_, let tooLarge)? = machine.textReceived(Self.subscribe(data), now: Self.start)
                .first
        else {
            Issue.record("user_info over the limit was not refused")
            return
        }
        #expect(tooLarge == .userInfoTooLarge(bytes: 22, limit: 10))
        let small = #"{"user_id":"alice"}"#
        let smallAuth = Self.authenticator.channelAuth(
            socketID: Self.socketID,
            channel: "presence-x",
            channelData: small
        )
        let join = machine.textReceived(
            Self.subscribe(["channel": "presence-x", "auth": .string(smallAuth), "channel_data": .string(small)]),
            now: Self.start
        )
        guard case .join(let request)? = join.first else {
            Issue.record("expected a join")
            return
        }
        guard case .refuseSubscription(_, let full)? = machine.joinRefused(request).first else {
            Issue.record("a full channel was not refused")
            return
        }
        #expect(full.type == tooLarge.type)
        #expect(full.status == 403 && tooLarge.status == 403)
    }

    @Test("max_subscriptions_per_connection at its edge: the limit is accepted, one more is LimitReached")
    func subscriptionLimit() throws {
        var machine = try Self.machine(app: Self.app { $0.maxSubscriptionsPerConnection = 3 })
        for channel in ["a", "b", "c"] { _ = try Self.join(&machine, ["channel": .string(channel)]) }
        #expect(machine.subscriptions.count == 3)
        #expect(
            machine.textReceived(Self.subscribe(["channel": "d"]), now: Self.start).map(\.label) == [
                "refuseSubscription LimitReached"
            ]
        )
        #expect(machine.textReceived(Self.subscribe(["channel": "a"]), now: Self.start).map(\.label) == ["confirm a"])
        _ = machine.textReceived(Self.text(["event": "pusher:unsubscribe", "data": ["channel": "a"]]), now: Self.start)
        #expect(machine.textReceived(Self.subscribe(["channel": "d"]), now: Self.start).map(\.label) == ["join d"])
    }

    @Test("presence: joining announces member_added to the others, leaving announces member_removed, with webhooks")
    func presenceBookkeeping() throws {
        var machine = try Self.machine(app: Self.app { $0.webhooks = [WebhookTarget(url: "http://127.0.0.1:1/")] })
        let channelData = #"{"user_id":"alice","user_info":{"name":"Alice"}}"#
        let auth = Self.authenticator.channelAuth(
            socketID: Self.socketID,
            channel: "presence-x",
            channelData: channelData
        )
        let member = try PresenceMember(channelData: channelData)
        let joined = try Self.join(
            &machine,
            ["channel": "presence-x", "auth": .string(auth), "channel_data": .string(channelData)],
            outcome: .init(
                isFirstSubscriber: true,
                memberAdded: true,
                roster: [member],
                cached: nil,
                subscriptionCount: 1,
                presenceVersion: 7
            )
        )
        #expect(
            joined.map(\.label) == [
                "send pusher_internal:subscription_succeeded", "publish pusher_internal:member_added v7 excluding self",
                "webhook channel_occupied", "webhook member_added",
            ]
        )
        #expect(machine.subscriptions["presence-x"]?.presenceUserID == "alice")

        let leave = machine.textReceived(
            Self.text(["event": "pusher:unsubscribe", "data": ["channel": "presence-x"]]),
            now: Self.start
        )
        guard case .leave(let channel, let subscription)? = leave.first else {
            Issue.record("expected a leave, got \(leave.map(\.label))")
            return
        }
        #expect(channel == "presence-x" && subscription.presenceUserID == "alice")
        let left = machine.left(
            channel: channel,
            subscription: subscription,
            outcome: .init(isLastSubscriber: true, memberRemoved: true, subscriptionCount: 0, presenceVersion: 8)
        )
        #expect(
            left.map(\.label) == [
                "publish pusher_internal:member_removed v8", "webhook member_removed", "webhook channel_vacated",
            ]
        )
        #expect(machine.subscriptions.isEmpty)
    }

    @Test("a closed connection leaves every channel, signs out and unregisters, once")
    func teardown() throws {
        var machine = try Self.machine()
        _ = try Self.join(&machine, ["channel": "b"])
        _ = try Self.join(&machine, ["channel": "a"])
        _ = machine.textReceived(Self.signIn(userData: #"{"id":"alice"}"#), now: Self.start)
        #expect(machine.connectionClosed().map(\.label) == ["leave a", "leave b", "signOut alice", "unregister"])
        #expect(machine.connectionClosed().isEmpty)
    }

    @Test("subscription_count is announced on join and leave when the app enables it, never on presence")
    func subscriptionCounts() throws {
        var machine = try Self.machine(app: Self.app { $0.subscriptionCountEnabled = true })
        let joined = try Self.join(&machine, ["channel": "news"])
        #expect(joined.map(\.label).last == "count news 1")
        let left = machine.left(
            channel: "presence-x",
            subscription: SessionSubscription(presenceUserID: "alice", delta: nil),
            outcome: .init(isLastSubscriber: false, memberRemoved: false, subscriptionCount: 1, presenceVersion: 2)
        )
        #expect(left.isEmpty)
    }

    @Test("cache channels replay the cached frame or send cache_miss")
    func cacheChannels() throws {
        var miss = try Self.machine()
        #expect(
            try Self.join(&miss, ["channel": "cache-x"]).map(\.label) == [
                "send pusher_internal:subscription_succeeded", "send pusher:cache_miss",
            ]
        )
    }

    // MARK: Sign-in and the user's own channel

    static func signIn(userData: String, valid: Bool = true) -> [UInt8] {
        let auth = valid ? authenticator.userAuth(socketID: socketID, userData: userData) : "key:0000"
        return text(["event": "pusher:signin", "data": ["auth": .string(auth), "user_data": .string(userData)]])
    }

    @Test("#server-to-user-{id}: refused before sign-in and for another user, confirmed for the signed-in user")
    func ownUserChannel() throws {
        var machine = try Self.machine()
        let own: JSONValue = ["channel": "#server-to-user-alice"]
        #expect(
            machine.textReceived(Self.subscribe(own), now: Self.start).map(\.label) == ["refuseSubscription AuthError"]
        )
        #expect(
            machine.textReceived(Self.signIn(userData: #"{"id":"alice"}"#), now: Self.start).map(\.label) == [
                "signIn alice"
            ]
        )
        #expect(
            machine.textReceived(Self.subscribe(own), now: Self.start).map(\.label) == [
                "send pusher_internal:subscription_succeeded"
            ]
        )
        let other: JSONValue = ["channel": "#server-to-user-bob"]
        #expect(
            machine.textReceived(Self.subscribe(other), now: Self.start).map(\.label) == [
                "refuseSubscription AuthError"
            ]
        )
    }

    @Test("a sign-in with a wrong signature closes the connection with 4009")
    func badSignIn() throws {
        var machine = try Self.machine()
        #expect(
            machine.textReceived(Self.signIn(userData: #"{"id":"alice"}"#, valid: false), now: Self.start).map(\.label)
                == ["close 4009"]
        )
    }

    @Test("a watchlist over the limit is refused with 4302 while the sign-in stands")
    func watchlistLimit() throws {
        var machine = try Self.machine()
        let watchlist = JSONValue.array((0...WatchlistRegistry.maximumEntries).map { .string("u\($0)") })
        let userData = JSONValue.object(["id": "alice", "watchlist": watchlist]).jsonText
        let actions = machine.textReceived(Self.signIn(userData: userData), now: Self.start)
        #expect(actions.map(\.label) == ["signIn alice", "send pusher:error"])
        guard case .signIn(let signIn)? = actions.first else { return }
        #expect(signIn.watchlist == nil)
    }

    // MARK: Client events

    static func clientEvent(_ channel: String, name: String = "client-typing", data: JSONValue = ["x": 1]) -> [UInt8] {
        text(["event": .string(name), "channel": .string(channel), "data": data])
    }

    static func privateChannel(_ machine: inout PusherSessionStateMachine, _ channel: String = "private-chat") throws {
        let auth = authenticator.channelAuth(socketID: socketID, channel: channel)
        _ = try join(&machine, ["channel": .string(channel), "auth": .string(auth)])
    }

    @Test("client events: refused when off, on public channels and unsubscribed channels; relayed otherwise")
    func clientEventRules() throws {
        var off = try Self.machine(app: Self.app { $0.clientEventsEnabled = false })
        #expect(
            off.textReceived(Self.clientEvent("private-chat"), now: Self.start).map(\.label) == ["send pusher:error"]
        )
        var machine = try Self.machine()
        #expect(machine.textReceived(Self.clientEvent("news"), now: Self.start).map(\.label) == ["send pusher:error"])
        #expect(
            machine.textReceived(Self.clientEvent("private-chat"), now: Self.start).map(\.label) == [
                "send pusher:error"
            ]
        )
        try Self.privateChannel(&machine)
        #expect(
            machine.textReceived(Self.clientEvent("private-chat"), now: Self.start).map(\.label) == [
                "relay client-typing"
            ]
        )
    }

    @Test("client event limits at their edge: name length in characters and data size in bytes, as the HTTP API counts")
    func clientEventLimits() throws {
        var machine = try Self.machine(app: Self.app { $0.maxEventPayloadInKB = 1 })
        try Self.privateChannel(&machine)
        let longest = "client-" + String(repeating: "é", count: 200 - 7)
        #expect(
            machine.textReceived(Self.clientEvent("private-chat", name: longest), now: Self.start).map(\.label) == [
                "relay \(longest)"
            ]
        )
        #expect(
            machine.textReceived(Self.clientEvent("private-chat", name: longest + "x"), now: Self.start).map(\.label)
                == [
                    "send pusher:error"
                ]
        )
        let atLimit = JSONValue.string(String(repeating: "a", count: 1024))
        #expect(
            machine.textReceived(Self.clientEvent("private-chat", data: atLimit), now: Self.start + .seconds(1)).map(
                \.label
            ).first?.hasPrefix("relay") == true
        )
        let overLimit = JSONValue.string(String(repeating: "a", count: 1025))
        #expect(
            machine.textReceived(Self.clientEvent("private-chat", data: overLimit), now: Self.start + .seconds(1)).map(
                \.label
            )
                == ["send pusher:error"]
        )
    }

    @Test("client events over the per-second limit get 4301; the next second admits again")
    func clientEventRateLimit() throws {
        var machine = try Self.machine(app: Self.app { $0.maxClientEventsPerSecond = 3 })
        try Self.privateChannel(&machine)
        for _ in 0..<3 {
            #expect(
                machine.textReceived(Self.clientEvent("private-chat"), now: Self.start).map(\.label) == [
                    "relay client-typing"
                ]
            )
        }
        let refused = machine.textReceived(Self.clientEvent("private-chat"), now: Self.start + .milliseconds(999))
        guard case .send(let error)? = refused.first else {
            Issue.record("not refused")
            return
        }
        #expect(error.dataObject?["code"] == .integer(4301))
        #expect(
            machine.textReceived(Self.clientEvent("private-chat"), now: Self.start + .seconds(1)).map(\.label) == [
                "relay client-typing"
            ]
        )
    }

    @Test("on presence channels a relayed client event carries the sender's user_id")
    func clientEventUserID() throws {
        var machine = try Self.machine()
        let channelData = #"{"user_id":"alice"}"#
        let auth = Self.authenticator.channelAuth(
            socketID: Self.socketID,
            channel: "presence-x",
            channelData: channelData
        )
        _ = try Self.join(
            &machine,
            ["channel": "presence-x", "auth": .string(auth), "channel_data": .string(channelData)]
        )
        guard
            case .relayClientEvent(let relayed)? = machine.textReceived(Self.clientEvent("presence-x"), now: Self.start)
                .first
        else {
            Issue.record("not relayed")
            return
        }
        #expect(relayed.userID == "alice")
    }

    // MARK: Delta

    @Test("enable_delta_compression turns deltas on for current non-presence subscriptions and new ones")
    func deltaCompression() throws {
        var machine = try Self.machine()
        _ = try Self.join(&machine, ["channel": "news"])
        let actions = machine.textReceived(Self.text(["event": "pusher:enable_delta_compression"]), now: Self.start)
        #expect(actions.map(\.label) == ["startDelta news fossil", "send pusher:delta_compression_enabled"])
        #expect(machine.subscriptions["news"]?.delta == .fossil)
        guard case .join(let join)? = machine.textReceived(Self.subscribe(["channel": "prices"]), now: Self.start).first
        else {
            Issue.record("expected a join")
            return
        }
        #expect(join.delta == .fossil)
    }
}

extension PusherSessionAction {
    /// A short description that tests compare.
    var label: String {
        switch self {
        case .register: "register"
        case .refuse(let code, _): "refuse \(code.rawValue)"
        case .send(let message): "send \(message.event)"
        case .sendFrame: "sendFrame"
        case .refuseSubscription(_, let error): "refuseSubscription \(error.type)"
        case .close(let code, _): "close \(code.rawValue)"
        case .closeForProtocolError(let code, _): "closeForProtocolError \(UInt16(webSocketErrorCode: code))"
        case .answerClose(let code, _): "answerClose \(UInt16(webSocketErrorCode: code))"
        case .finishClose: "finishClose"
        case .pong: "pong"
        case .scheduleActivityCheck(let delay): "schedule \(delay.nanoseconds / 1_000_000_000)s"
        case .join(let join): "join \(join.channel.rawValue)"
        case .confirmSubscription(let channel): "confirm \(channel.rawValue)"
        case .leave(let channel, _): "leave \(channel)"
        case .relayClientEvent(let message): "relay \(message.event)"
        case .signIn(let signIn): "signIn \(signIn.userID)"
        case .startDelta(let channel, let algorithm, _): "startDelta \(channel) \(algorithm.rawValue)"
        case .resetDeltaBase(let channel): "resetDeltaBase \(channel)"
        case .publish(let message, let version, let excludingSelf):
            "publish \(message.event) v\(version)\(excludingSelf ? " excluding self" : "")"
        case .webhook(let event): "webhook \(event.kind.rawValue)"
        case .countSubscriptions(let channel, let count): "count \(channel) \(count)"
        case .signOut(let userID): "signOut \(userID)"
        case .unregister: "unregister"
        }
    }
}

extension PusherSessionStateMachineTests {
    @Test("protocol 2: sockudo: names are understood on the way in; the handshake names the dialect")
    func protocolTwo() throws {
        var machine = try Self.machine(uri: "/app/key?protocol=2&format=json&echo_messages=true&append_mode=delta")
        #expect(machine.dialect == .sockudo)
        let pong = machine.textReceived(Array(#"{"event":"sockudo:ping","data":{}}"#.utf8), now: Self.start)
        #expect(pong.map(\.label) == ["send pusher:pong"])
    }

    @Test("protocol 2 with a binary wire format is refused with 4007 and the reason")
    func binaryFormatRefused() throws {
        var machine = try Self.machine(uri: "/app/key?protocol=2&format=messagepack", open: false)
        let actions = machine.connectionActive()
        guard case .refuse(let code, let reason)? = actions.first else {
            Issue.record("expected a refusal, got \(actions)")
            return
        }
        #expect(code == .unsupportedProtocolVersion)
        #expect(reason == "Unsupported wire format 'messagepack': this server speaks format=json")
    }

    @Test("protocols 1, 3 and 8 are refused (4007); 2 and 5 to 7 are served", arguments: [1, 2, 3, 4, 5, 7, 8])
    func versions(version: Int) throws {
        let request = try #require(ConnectionRequest(uri: "/app/key?protocol=\(version)"))
        #expect((request.rejection == nil) == (version == 2 || (5...7).contains(version)))
    }
}
