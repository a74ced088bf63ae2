import ChorusProtocol
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket

/// One Pusher connection of ``DeviantPusherServer``: handshake, pings, subscriptions, presence and
/// client events, each with the faults that concern it.
final class DeviantWebSocketHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    let server: DeviantPusherServer
    let uri: String
    private var socketID = ""
    private var subscribed: Set<String> = []
    private var userByChannel: [String: String] = [:]
    private var acceptedTokens: Set<String> = []
    private var clientEventTimes: [ContinuousClock.Instant] = []
    private var open = false
    private var signedInUser: String?
    private var app = DeviantPusherServer.app

    init(server: DeviantPusherServer, uri: String) {
        self.server = server
        self.uri = uri
    }

    private func has(_ fault: DeviantFault) -> Bool { server.has(fault) }

    func handlerAdded(context: ChannelHandlerContext) {
        let parts = uri.split(separator: "?", maxSplits: 1)
        let key = parts[0].split(separator: "/").last.map(String.init) ?? ""
        let query = parts.count > 1 ? QueryString.parse(parts[1]) : []
        let channel = context.channel
        if parts[0].split(separator: "/").count != 2, !has(.badPathReadAsAppKey) {
            DeviantPusherServer.send(DeviantPusherServer.errorFrame("Path not found", code: 4005), to: channel)
            DeviantPusherServer.close(channel, code: 4005)
            return
        }
        guard parts[0].hasPrefix("/app/"), let app = DeviantPusherServer.apps.first(where: { $0.key == key }) else {
            if !has(.unknownAppClosedSilently) {
                DeviantPusherServer.send(
                    DeviantPusherServer.errorFrame("App key \(key) does not exist", code: 4001),
                    to: channel
                )
            }
            DeviantPusherServer.close(channel, code: 4001)
            return
        }
        if let version = query.first(where: { $0.0 == "protocol" })?.1 {
            if Int(version) == nil, !has(.versionFormatClosedWith4007) {
                DeviantPusherServer.send(
                    DeviantPusherServer.errorFrame("Invalid version format", code: 4006),
                    to: channel
                )
                DeviantPusherServer.close(channel, code: 4006)
                return
            }
            if (Int(version) ?? 0) < 5, !has(.oldProtocolAccepted) {
                DeviantPusherServer.send(
                    DeviantPusherServer.errorFrame("Unsupported protocol", code: 4007),
                    to: channel
                )
                DeviantPusherServer.close(channel, code: 4007)
                return
            }
        } else if has(.missingProtocolRefused) {
            DeviantPusherServer.send(DeviantPusherServer.errorFrame("No protocol version", code: 4008), to: channel)
            DeviantPusherServer.close(channel, code: 4008)
            return
        }
        self.app = app
        socketID = server.newSocketID()
        open = true
        let timeout = has(.activityTimeoutMissing) ? "" : #","activity_timeout":120"#
        DeviantPusherServer.send(
            server.frame(
                event: PusherEventName.connectionEstablished,
                channel: nil,
                data: #"{"socket_id":"\#(socketID)"\#(timeout)}"#
            ),
            to: channel
        )
    }

    func channelInactive(context: ChannelHandlerContext) {
        for name in subscribed { leave(name) }
        subscribed = []
        if let user = signedInUser {
            let me = context.channel
            let gone = server.state.withLockedValue { state in
                state.users[user]?.removeAll { $0 === me }
                return state.users[user]?.isEmpty ?? true
            }
            if gone { server.announce(user, online: false) }
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .connectionClose:
            // Answer the client's close frame with its code, then close the connection.
            let echo = WebSocketFrame(fin: true, opcode: .connectionClose, data: frame.unmaskedData)
            let channel = context.channel
            channel.writeAndFlush(echo).whenComplete { _ in channel.close(promise: nil) }
            return
        case .ping:
            guard !has(.webSocketPingsIgnored) else { return }
            context.writeAndFlush(
                NIOAny(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)),
                promise: nil
            )
            return
        case .text: break
        default: return
        }
        guard open, let message = try? PusherMessage(parsing: Array(buffer: frame.unmaskedData)) else { return }
        if message.event.hasPrefix("pusher:"), case .string? = message.data, has(.stringDataIgnored) { return }
        let channel = context.channel
        switch message.event {
        case PusherEventName.ping:
            let pong = PusherMessage(event: PusherEventName.pong, data: has(.pongDataAsString) ? .string("{}") : [:])
            DeviantPusherServer.send(pong.jsonText, to: channel)
        case PusherEventName.subscribe:
            if let data = message.dataObject { subscribe(data, on: channel) }
        case PusherEventName.unsubscribe:
            guard !has(.unsubscribeIgnored), let name = message.dataObject?["channel"]?.stringValue,
                subscribed.remove(name) != nil
            else { return }
            leave(name)
        case PusherEventName.signin:
            if let data = message.dataObject { signin(data, on: channel) }
        case let name where name.hasPrefix("client-"):
            clientEvent(message, on: channel)
        default:
            break
        }
    }

    // MARK: Sign-in

    private func signin(_ data: JSONValue, on channel: any Channel) {
        guard let auth = data["auth"]?.stringValue, let userData = data["user_data"]?.stringValue,
            let userID = (try? JSONValue(parsing: userData))?["id"]?.scalarText
        else {
            return DeviantPusherServer.send(DeviantPusherServer.errorFrame("Bad sign-in", code: nil), to: channel)
        }
        let authenticator = ChannelAuthenticator(key: app.key, secret: app.secret)
        guard
            authenticator.isValidUserAuth(auth, socketID: socketID, userData: userData)
                || has(.signinSignatureNotChecked)
        else {
            DeviantPusherServer.send(
                DeviantPusherServer.errorFrame("Invalid sign-in signature", code: 4009),
                to: channel
            )
            DeviantPusherServer.close(channel, code: 4009)
            return
        }
        signedInUser = userID
        let watchlist = (try? JSONValue(parsing: userData))?["watchlist"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let first = server.state.withLockedValue { state in
            let first = state.users[userID]?.isEmpty ?? true
            state.users[userID, default: []].append(channel)
            for watched in watchlist { state.watchers[watched, default: []].append(channel) }
            return first
        }
        defer { if first { server.announce(userID, online: true) } }
        join(ChannelName.serverToUserPrefix + userID, member: nil, filter: nil, on: channel, reply: false)
        let reply =
            has(.signinSuccessWithoutUserData) ? "{}" : JSONValue.object(["user_data": .string(userData)]).jsonText
        DeviantPusherServer.send(
            server.frame(event: PusherEventName.signinSuccess, channel: nil, data: reply),
            to: channel
        )
    }

    // MARK: Subscriptions

    private func subscriptionError(_ name: String, type: String, message: String, status: Int, on channel: any Channel)
    {
        let payload = #"{"type":"\#(type)","error":"\#(message)","status":\#(status)}"#
        let data: JSONValue =
            has(.subscriptionErrorDataAsObject)
            ? ((try? JSONValue(parsing: payload)) ?? .string(payload)) : .string(payload)
        DeviantPusherServer.send(
            PusherMessage(event: PusherEventName.subscriptionError, channel: name, data: data).jsonText,
            to: channel
        )
    }

    private func authError(_ name: String, on channel: any Channel) {
        let status = has(.authErrorWithStatus403) ? 403 : 401
        subscriptionError(name, type: "AuthError", message: "Invalid signature", status: status, on: channel)
    }

    private func isValidAuth(_ auth: String, channel name: String, channelData: String?) -> Bool {
        let authenticator = ChannelAuthenticator(key: app.key, secret: app.secret)
        if authenticator.isValidChannelAuth(auth, socketID: socketID, channel: name, channelData: channelData) {
            return true
        }
        if has(.authTokensReusedAcrossChannels), acceptedTokens.contains(auth) { return true }
        let signer = HMACSigner(secret: app.secret)
        if channelData == nil, has(.privateSignatureWithoutChannelAccepted),
            auth == "\(app.key):\(signer.signature(for: socketID))"
        {
            return true
        }
        if let channelData, has(.presenceSignatureWithoutChannelAccepted),
            auth == "\(app.key):\(signer.signature(for: "\(socketID):\(channelData)"))"
        {
            return true
        }
        return false
    }

    private func subscribe(_ data: JSONValue, on channel: any Channel) {
        guard let name = data["channel"]?.stringValue else { return }
        if name.hasPrefix(ChannelName.serverToUserPrefix) {
            guard name == ChannelName.serverToUserPrefix + (signedInUser ?? "\u{0}") || has(.serverToUserOpenToAnyone)
            else {
                return authError(name, on: channel)
            }
            return join(name, member: nil, filter: nil, on: channel)
        }
        guard server.isValidChannelName(name) else {
            subscriptionError(name, type: "InvalidChannel", message: "Invalid channel name", status: 400, on: channel)
            return
        }
        let isPresence = name.hasPrefix("presence-")
        var member: DeviantPusherServer.Member?
        if isPresence || name.hasPrefix("private-") {
            let channelData = isPresence ? data["channel_data"]?.stringValue : nil
            guard let auth = data["auth"]?.stringValue, !isPresence || channelData != nil,
                isValidAuth(auth, channel: name, channelData: channelData)
            else {
                authError(name, on: channel)
                return
            }
            acceptedTokens.insert(auth)
            if let channelData {
                guard let parsed = try? JSONValue(parsing: channelData), parsed.objectValue != nil else {
                    subscriptionError(
                        name,
                        type: "InvalidChannelData",
                        message: "Bad channel_data",
                        status: 400,
                        on: channel
                    )
                    return
                }
                var userID: JSONValue
                switch parsed["user_id"] {
                case .string(let text)? where !text.isEmpty: userID = .string(text)
                case .integer(let number)?:
                    userID = has(.numericUserIDNotStringified) ? .integer(number) : .string(String(number))
                default:
                    guard has(.channelDataWithoutUserIDAccepted) else {
                        subscriptionError(
                            name,
                            type: "InvalidChannelData",
                            message: "No user_id",
                            status: 400,
                            on: channel
                        )
                        return
                    }
                    userID = .string(socketID)
                }
                let userText = userID.stringValue ?? userID.jsonText
                guard userText.utf8.count <= 128 || has(.presenceUserIDLengthUnchecked) else {
                    subscriptionError(
                        name,
                        type: "InvalidChannelData",
                        message: "user_id too long",
                        status: 400,
                        on: channel
                    )
                    return
                }
                guard (parsed["user_info"]?.jsonText.utf8.count ?? 0) <= 1024 || has(.presenceUserInfoSizeUnchecked)
                else {
                    subscriptionError(
                        name,
                        type: "LimitReached",
                        message: "user_info too large",
                        status: 403,
                        on: channel
                    )
                    return
                }
                member = .init(socketID: socketID, userID: userID, info: parsed["user_info"])
            }
        }
        var filter: (key: String, value: String)?
        if let node = data["filter"], let key = node["key"]?.stringValue, node["cmp"]?.stringValue == "eq",
            let value = node["val"]?.stringValue
        {
            filter = (key, value)
        }
        join(name, member: member, filter: filter, on: channel)
    }

    private func join(
        _ name: String,
        member: DeviantPusherServer.Member?,
        filter: (key: String, value: String)?,
        on channel: any Channel,
        reply: Bool = true
    ) {
        let me = socketID
        let duplicates = has(.duplicateSubscriptionDeliversTwice)
        let (already, userWasPresent, others) = server.state.withLockedValue { state in
            let already = state.subscribers[name]?.contains { $0.socketID == me } ?? false
            if !already || duplicates {
                state.subscribers[name, default: []].append(.init(socketID: me, channel: channel, filter: filter))
            }
            guard let member, !already else { return (already, true, [any Channel]()) }
            let present = state.members[name]?.contains { $0.userText == member.userText } ?? false
            state.members[name, default: []].append(member)
            var seen: Set<String> = []
            let others = (state.subscribers[name] ?? []).filter {
                $0.socketID != me && seen.insert($0.socketID).inserted
            }
            .map(\.channel)
            return (already, present, others)
        }
        subscribed.insert(name)
        guard reply else { return }
        guard let member else {
            DeviantPusherServer.send(
                server.frame(event: PusherEventName.subscriptionSucceeded, channel: name, data: "{}"),
                to: channel
            )
            if app.subscriptionCount, !already { server.announceSubscriptionCount(name) }
            return
        }
        if !already { userByChannel[name] = member.userText }
        DeviantPusherServer.send(
            server.frame(event: PusherEventName.subscriptionSucceeded, channel: name, data: roster(name, me: member)),
            to: channel
        )
        guard !userWasPresent else { return }
        var added: [String: JSONValue] = ["user_id": member.userID]
        if let info = member.info { added["user_info"] = info }
        if has(.memberAddedExtraKey) { added["socket_id"] = .string(me) }
        let frame = server.frame(
            event: PusherEventName.memberAdded,
            channel: name,
            data: JSONValue.object(added).jsonText
        )
        for other in others { DeviantPusherServer.send(frame, to: other) }
        if has(.memberAddedEchoedToJoiner) { DeviantPusherServer.send(frame, to: channel) }
    }

    private func roster(_ name: String, me: DeviantPusherServer.Member) -> String {
        let members = server.state.withLockedValue { $0.members[name] ?? [] }
        var ids: [JSONValue] = []
        var hash: [String: JSONValue] = [:]
        var seen: Set<String> = []
        for member in members where seen.insert(member.userText).inserted || has(.sameUserCountedTwice) {
            ids.append(member.userID)
            hash[member.userText] = member.info ?? .null
        }
        var presence: [String: JSONValue] = [
            "ids": .array(ids), "hash": .object(hash), "count": .integer(Int64(ids.count)),
        ]
        if has(.presenceRosterExtraKey) { presence["me"] = me.userID }
        return JSONValue.object(["presence": .object(presence)]).jsonText
    }

    private func leave(_ name: String) {
        let me = socketID
        let keepEmpty = has(.channelKeptWhenEmpty)
        let keepMembers = has(.presenceMembersNotRemoved)
        let (removed, userStillPresent, remaining) = server.state.withLockedValue { state in
            state.subscribers[name]?.removeAll { $0.socketID == me }
            if state.subscribers[name]?.isEmpty == true, !keepEmpty { state.subscribers[name] = nil }
            let remaining = (state.subscribers[name] ?? []).map(\.channel)
            guard let index = state.members[name]?.firstIndex(where: { $0.socketID == me }) else {
                return (DeviantPusherServer.Member?.none, true, remaining)
            }
            let member = state.members[name]![index]
            let others = state.members[name]!.enumerated().filter { $0.offset != index }.map(\.element)
            if !keepMembers {
                state.members[name]!.remove(at: index)
                if state.members[name]!.isEmpty { state.members[name] = nil }
            }
            return (member, others.contains { $0.userText == member.userText }, remaining)
        }
        userByChannel[name] = nil
        if app.subscriptionCount, !name.hasPrefix("presence-") { server.announceSubscriptionCount(name) }
        guard let removed, !userStillPresent || has(.memberRemovedPerConnection) else { return }
        var data: [String: JSONValue] = ["user_id": removed.userID]
        if has(.memberRemovedExtraKey) { data["user_info"] = removed.info ?? [:] }
        let frame = server.frame(
            event: PusherEventName.memberRemoved,
            channel: name,
            data: JSONValue.object(data).jsonText
        )
        for channel in remaining { DeviantPusherServer.send(frame, to: channel) }
    }

    // MARK: Client events

    private func clientEvent(_ message: PusherMessage, on channel: any Channel) {
        guard let name = message.channel else { return }
        func refuse(_ text: String, code: Int? = nil) {
            DeviantPusherServer.send(DeviantPusherServer.errorFrame(text, code: code), to: channel)
        }
        guard app.clientEvents || has(.clientEventsIgnoreAppSetting) else {
            return refuse("Client events are disabled for this app")
        }
        let isEncrypted = name.hasPrefix("private-encrypted-")
        guard name.hasPrefix("private-") || name.hasPrefix("presence-") || has(.clientEventsOnPublicAccepted) else {
            return refuse("Client events are only allowed on private and presence channels")
        }
        guard !isEncrypted || has(.clientEventsOnEncryptedAccepted) else {
            return refuse("Client events are not allowed on encrypted channels")
        }
        guard subscribed.contains(name) || has(.clientEventsFromNonSubscribersAccepted) else {
            return refuse("Not subscribed to \(name)")
        }
        let now = ContinuousClock.now
        clientEventTimes.removeAll { $0.duration(to: now) > .seconds(1) }
        guard clientEventTimes.count < DeviantPusherServer.maxClientEventsPerSecond || has(.clientEventsNotRateLimited)
        else {
            return refuse("Client event rate limit reached", code: 4301)
        }
        clientEventTimes.append(now)
        let userID = has(.clientEventsWithoutUserID) ? nil : userByChannel[name]
        server.publish(
            event: message.event,
            channel: name,
            data: message.dataText ?? "{}",
            excluding: has(.clientEventsEchoed) ? nil : socketID,
            userID: userID
        )
    }
}
