import ChorusCore
import ChorusProtocol
import Logging
import NIOCore
import NIOWebSocket
import Prometheus

extension PusherConnectionHandler {
    /// Carries out `actions` in order, then writes what they queued for this client.
    func execute(_ actions: [PusherSessionAction]) {
        guard !actions.isEmpty else { return }
        var queued = false
        for action in actions {
            queued = perform(action) || queued
        }
        if queued { shard?.flush() }
    }

    /// Carries out one action; returns whether it queued a frame for this client.
    private func perform(_ action: PusherSessionAction) -> Bool {
        switch action {
        case .register:
            register()
        case .refuse(let code, let reason):
            log(.info, "connection refused", ["code": .stringConvertible(code.rawValue), "reason": .string(reason)])
            outlet.write(frame(of: PusherMessage.error(reason, code: code)))
            outlet.sendCloseFrame(code: WebSocketErrorCode(code), reason: reason)
        case .send(let message):
            return enqueue(frame(of: message))
        case .sendFrame(let frame):
            return enqueue(frame)
        case .refuseSubscription(let channel, let error):
            log(.debug, "subscription refused", ["channel": .string(channel), "type": .string(error.type)])
            server.console.record(appID: appID) {
                [
                    ConsoleEntry(
                        kind: .subscriptionError,
                        channel: channel,
                        event: error.type,
                        detail: "socket \(machine.socketID): \(error.status) \(error.message)"
                    )
                ]
            }
            return enqueue(frame(of: error.message(channel: channel)))
        case .close(let code, let message):
            log(.info, "closing", ["code": .stringConvertible(code.rawValue), "reason": .string(message)])
            if enqueue(frame(of: PusherMessage.error(message, code: code))) {
                shard?.flush()
            }
            outlet.sendCloseFrame(code: WebSocketErrorCode(code), reason: message)
        case .closeForProtocolError(let code, let reason):
            outlet.sendCloseFrame(code: code, reason: reason)
        case .answerClose(let code, let reason):
            outlet.sendCloseFrame(code: code, reason: reason)
        case .finishClose:
            outlet.finishClosing()
        case .pong(let payload):
            return enqueue(WebSocketFrameWriter.frame(.pong, payload: payload.readableBytesView))
        case .scheduleActivityCheck(let delay):
            scheduleActivityCheck(after: delay)
        case .join(let join):
            self.join(join)
        case .confirmSubscription(let channel):
            let message: PusherMessage =
                channel.kind == .presence
                ? .presenceSubscriptionSucceeded(
                    channel: channel.rawValue,
                    members: server.directory.members(key(channel.rawValue))
                )
                : .subscriptionSucceeded(channel: channel.rawValue)
            return enqueue(frame(of: message))
        case .leave(let channel, let subscription):
            leave(channel, subscription)
        case .relayClientEvent(let message):
            server.relayClientEvent(message, appID: appID, senderSocketID: machine.socketID, sender: address)
            server.metrics.clientEventsRelayed.increment()
        case .signIn(let signIn):
            self.signIn(signIn)
        case .startDelta(let channel, let algorithm, let conflation):
            let key = key(channel)
            if shard?.enableDelta(slot, on: key, algorithm: algorithm) == true {
                server.publisher.deltaChains.join(key, algorithm: algorithm, conflation: conflation)
            }
        case .resetDeltaBase(let channel):
            shard?.resetDeltaBase(slot, on: key(channel))
        case .publish(let message, let presenceVersion, let excludingSelf):
            server.publisher.publish(
                message,
                appID: appID,
                excluding: excludingSelf ? address : nil,
                presenceVersion: presenceVersion
            )
        case .webhook(let event):
            server.enqueueWebhook(event, appID: appID)
        case .countSubscriptions(let channel, let count):
            server.subscriptionCounts.countChanged(
                key(channel),
                count: count,
                on: server.broadcaster.shards[shardIndex].eventLoop
            )
        case .signOut(let userID):
            let outcome = server.watchlists.signOut(userID, appID: appID)
            if outcome.lastHere { server.userPresenceChanged(userID, appID: appID, online: false) }
            server.notifyWatchers(outcome.notices, appID: appID)
        case .unregister:
            unregister()
        }
        return false
    }

    // MARK: Engine and registries

    private var appID: String { machine.app?.id ?? "" }

    private var address: SubscriberAddress { SubscriberAddress(shard: shardIndex, slot: slot) }

    private func key(_ channel: String) -> ChannelKey { ChannelKey(appID: appID, channel: channel) }

    /// The text frame of `message`, named as the client's protocol names it.
    private func frame(of message: PusherMessage) -> ByteBuffer {
        WebSocketFrameWriter.textFrame(message.named(for: machine.dialect).jsonText)
    }

    private func enqueue(_ frame: ByteBuffer) -> Bool {
        guard let shard else { return false }
        shard.enqueue(frame, toSlot: slot)
        return true
    }

    private func register() {
        guard let context, let app = machine.app else { return }
        guard let index = server.broadcaster.shardIndex(for: context.eventLoop) else {
            preconditionFailure("connection on an event loop without a broadcast shard")
        }
        let shard = server.broadcaster.shards[index].value
        let slot = shard.register(outlet, compresses: compresses, speaksSockudo: machine.dialect == .sockudo)
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let entry = ConnectionRegistry.Entry(
            appID: app.id,
            address: SubscriberAddress(shard: index, slot: slot),
            userID: nil
        ) { reason in
            loopBoundSelf.eventLoop.execute { loopBoundSelf.value.close(for: reason) }
        }
        guard server.connections.add(socketID: machine.socketID, entry: entry, limit: app.maxConnections) else {
            shard.unregister(slot)
            log(.info, "connection refused: app over its connection quota", ["app_id": .string(app.id)])
            return execute(machine.registrationRefused())
        }
        self.shard = shard
        self.shardIndex = index
        self.slot = slot
        outlet.onWritable = { [weak self] in
            guard let self, let shard = self.shard else { return }
            shard.resume(self.slot)
        }
        server.metrics.connections.increment()
        server.metrics.connectionsTotal.increment()
        log(.debug, "connection established", ["app_id": .string(app.id), "deflate": .stringConvertible(compresses)])
        execute(machine.registered(now: .now()))
    }

    private func unregister() {
        guard let shard else { return }
        server.activityWheels[shardIndex].value.cancel(slot: slot)
        shard.unregister(slot)
        self.shard = nil
        server.connections.remove(socketID: machine.socketID)
        server.metrics.connections.decrement()
        log(.debug, "connection closed")
    }

    private func scheduleActivityCheck(after delay: TimeAmount) {
        guard shard != nil, let context else { return }
        server.activityWheels[shardIndex].value.schedule(self, slot: slot, at: context.eventLoop.now + delay)
    }

    private func join(_ join: SubscriptionJoin) {
        guard let shard, let app = machine.app else { return }
        let key = key(join.channel.rawValue)
        switch server.directory.subscribe(key, member: join.member, maxMembers: app.maxPresenceMembers) {
        case .memberLimitReached:
            execute(machine.joinRefused(join))
        case .joined(let outcome):
            var cacheSync: DeltaCacheSync?
            if join.member != nil {
                shard.subscribe(slot, to: key, presenceVersion: outcome.presenceVersion)
            } else {
                if join.filter?.filtersEventNames == true { server.publisher.eventNameFilters.join(key) }
                if let algorithm = join.delta {
                    let chains = server.publisher.deltaChains
                    chains.join(key, algorithm: algorithm, conflation: join.conflation)
                    // Read with the subscription, on this loop: events queued for it later are
                    // after the sync, events older than it come in full.
                    cacheSync = chains.cacheSync(key)
                }
                shard.subscribe(slot, to: key, filter: join.filter, delta: join.delta, syncedAt: cacheSync?.sequence)
            }
            log(.debug, "subscribed", ["channel": .string(key.channel)])
            server.channelChanged(key, presence: join.member != nil)
            execute(machine.joined(join, outcome: outcome, cacheSync: cacheSync))
        }
    }

    private func leave(_ channel: String, _ subscription: SessionSubscription) {
        let key = key(channel)
        shard?.unsubscribe(slot, from: key)
        if let algorithm = subscription.delta { server.publisher.deltaChains.leave(key, algorithm: algorithm) }
        if subscription.filtersEventNames { server.publisher.eventNameFilters.leave(key) }
        let outcome = server.directory.unsubscribe(key, userID: subscription.presenceUserID)
        server.channelChanged(key, presence: subscription.presenceUserID != nil)
        execute(machine.left(channel: channel, subscription: subscription, outcome: outcome))
    }

    // MARK: Sign-in and watchlists

    private func signIn(_ signIn: SignIn) {
        guard let shard else { return }
        if let previous = signIn.previousUserID, previous != signIn.userID {
            shard.unsubscribe(slot, from: key(ChannelName.serverToUser(previous).rawValue))
        }
        server.connections.setUser(signIn.userID, socketID: machine.socketID)
        shard.subscribe(slot, to: key(ChannelName.serverToUser(signIn.userID).rawValue))
        _ = enqueue(frame(of: PusherMessage.signinSuccess(userData: signIn.userData)))
        let outcome = server.watchlists.signIn(
            signIn.userID,
            previous: signIn.previousUserID,
            watchlist: signIn.watchlist,
            appID: appID
        )
        if !outcome.onlineWatched.isEmpty {
            _ = enqueue(frame(of: PusherMessage.watchlistEvents(online: outcome.onlineWatched, offline: [])))
        }
        if outcome.firstHere { server.userPresenceChanged(signIn.userID, appID: appID, online: true) }
        server.notifyWatchers(outcome.notices, appID: appID)
        log(.debug, "signed in", ["user_id": .string(signIn.userID)])
        shard.flush()
    }
}

extension WebSocketErrorCode {
    /// A Pusher close code as a WebSocket close code.
    init(_ code: PusherErrorCode) {
        self.init(codeNumber: Int(code.rawValue))
    }
}
