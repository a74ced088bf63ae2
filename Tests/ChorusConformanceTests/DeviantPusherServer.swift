import ChorusProtocol
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A small, protocol-correct Pusher server (public, private, encrypted and presence channels, client
/// events, the signed HTTP API's events, batches and channel queries) whose faults can be switched on
/// one at a time (``DeviantFault``), to prove the conformance suite notices each of them.
final class DeviantPusherServer: Sendable {
    /// One app of the server and its switches.
    struct App: Sendable {
        var id: String
        var key: String
        var secret: String
        var clientEvents = true
        var subscriptionCount = false
    }

    static let app = App(id: "1", key: "fake-key", secret: "fake-secret")
    /// An app with client events disabled.
    static let quietApp = App(id: "5", key: "fake-quiet-key", secret: "fake-quiet-secret", clientEvents: false)
    /// An app with subscription counts enabled.
    static let countingApp = App(
        id: "6",
        key: "fake-counting-key",
        secret: "fake-counting-secret",
        subscriptionCount: true
    )
    static let apps = [app, quietApp, countingApp]
    static let payloadLimitKB = 10
    static let maxChannels = 100
    static let maxBatch = 10
    static let maxClientEventsPerSecond = 10
    /// What this server offers beyond the Pusher core, as `chorus conform --capabilities` names it.
    static let capabilities: Set<String> = [
        "client_events", "encrypted_channels", "user_signin", "tag_filters", "subscription_count",
    ]

    struct Subscriber: Sendable {
        var socketID: String
        var channel: any Channel
        /// An `eq` tag filter (key, value), the only kind this server knows.
        var filter: (key: String, value: String)?
    }

    struct Member: Sendable {
        var socketID: String
        var userID: JSONValue
        var info: JSONValue?

        var userText: String { userID.stringValue ?? userID.jsonText }
    }

    struct State: Sendable {
        var nextSocket = 1
        /// Channel name → its subscriptions (once per connection unless a fault says otherwise).
        var subscribers: [String: [Subscriber]] = [:]
        /// Presence channel name → its members, one entry per connection, in join order.
        var members: [String: [Member]] = [:]
        /// Signed-in user id → their connections.
        var users: [String: [any Channel]] = [:]
        /// Watched user id → the connections watching it.
        var watchers: [String: [any Channel]] = [:]
    }

    let faults: Set<DeviantFault>
    let state = NIOLockedValueBox(State())
    private let channel: any Channel

    private init(faults: Set<DeviantFault>, channel: any Channel) {
        self.faults = faults
        self.channel = channel
    }

    var port: Int { channel.localAddress!.port! }

    func has(_ fault: DeviantFault) -> Bool { faults.contains(fault) }

    static func start(faults: Set<DeviantFault> = []) async throws -> DeviantPusherServer {
        let box = NIOLockedValueBox<DeviantPusherServer?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let upgrader = NIOWebSocketServerUpgrader(
                    shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture([:]) },
                    upgradePipelineHandler: { channel, head in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                DeviantWebSocketHandler(server: box.withLockedValue { $0! }, uri: head.uri)
                            )
                        }
                    }
                )
                return channel.eventLoop.makeCompletedFuture {
                    let http = DeviantHTTPHandler(server: box.withLockedValue { $0! })
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (
                            upgraders: [upgrader],
                            completionHandler: { context in
                                context.pipeline.removeHandler(name: "fake-http", promise: nil)
                            }
                        )
                    )
                    try channel.pipeline.syncOperations.addHandler(http, name: "fake-http")
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let server = DeviantPusherServer(faults: faults, channel: channel)
        box.withLockedValue { $0 = server }
        return server
    }

    func shutdown() async throws {
        try await channel.close()
    }

    func newSocketID() -> String {
        let number = state.withLockedValue { state in
            state.nextSocket += 1
            return state.nextSocket
        }
        return has(.socketIDWithoutDot) ? "\(number)" : "\(number).\(Int.random(in: 1...999_999))"
    }

    // MARK: Frames

    /// The text frame of an event as this server sends it (honestly or not).
    func frame(event: String, channel: String?, data: String, userID: String? = nil) -> String {
        let value: JSONValue = has(.dataAsObject) ? ((try? JSONValue(parsing: data)) ?? .string(data)) : .string(data)
        return PusherMessage(event: event, channel: channel, data: value, userID: userID).jsonText
    }

    static func send(_ text: String, to channel: any Channel) {
        var buffer = channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .text, data: buffer), promise: nil)
    }

    static func errorFrame(_ message: String, code: Int?) -> String {
        PusherMessage(
            event: PusherEventName.error,
            data: ["message": .string(message), "code": code.map { .integer(Int64($0)) } ?? .null]
        ).jsonText
    }

    /// Sends a close frame, then closes the connection a little later (as a server waiting for the
    /// client's close frame would), so the client reads the frame whatever state it is in.
    static func close(_ channel: any Channel, code: Int) {
        var buffer = channel.allocator.buffer(capacity: 2)
        buffer.writeInteger(UInt16(code))
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer), promise: nil)
        channel.eventLoop.scheduleTask(in: .milliseconds(300)) { channel.close(promise: nil) }
    }

    // MARK: Channel rules

    /// Whether a channel name is acceptable: the Pusher alphabet, at most 164 characters
    /// (`#server-to-user-` names too where `serverToUser` allows them).
    func isValidChannelName(_ name: String, serverToUser: Bool = false) -> Bool {
        if serverToUser, name.hasPrefix(ChannelName.serverToUserPrefix) {
            return isValidChannelName(String(name.dropFirst(ChannelName.serverToUserPrefix.count)))
        }
        let limit =
            has(.channelNameLengthUnchecked)
            ? Int.max : has(.channelNameLimitOffByOne) ? 163 : ChannelName.maximumLength
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-=@,.;")
        return !name.isEmpty && name.count <= limit && name.allSatisfy(allowed.contains)
    }

    // MARK: Publishing

    /// Sends an event to every subscriber of `channel` except `excluding`; returns how many got it.
    func publish(
        event: String,
        channel: String,
        data: String,
        excluding: String?,
        userID: String? = nil,
        tags: [String: String] = [:]
    ) {
        var data = data
        if channel.hasPrefix("private-encrypted-"), has(.encryptedPayloadReserialised),
            let members = (try? JSONValue(parsing: data))?.objectValue
        {
            data =
                "{"
                + members.keys.sorted().map { "\(JSONValue.string($0).jsonText):\(members[$0]!.jsonText)" }
                .joined(separator: ",") + "}"
        }
        let frame = frame(event: event, channel: channel, data: data, userID: userID)
        let excluded = has(.socketIDExclusionIgnored) ? nil : excluding
        for subscriber in state.withLockedValue({ $0.subscribers[channel] ?? [] }) where subscriber.socketID != excluded
        {
            if let filter = subscriber.filter, tags[filter.key] != filter.value, !has(.tagFilterIgnored) { continue }
            Self.send(frame, to: subscriber.channel)
        }
    }

    /// Tells the watchers of `userID` that it came online or went offline.
    func announce(_ userID: String, online: Bool) {
        let name = online ? "online" : "offline"
        let text: String
        if has(.watchlistBareEvents) {
            text = frame(event: name, channel: nil, data: JSONValue.object(["user_ids": [.string(userID)]]).jsonText)
        } else {
            let events: JSONValue = ["events": [["name": .string(name), "user_ids": [.string(userID)]]]]
            text = frame(event: PusherEventName.watchlistEvents, channel: nil, data: events.jsonText)
        }
        for watcher in state.withLockedValue({ $0.watchers[userID] ?? [] }) { Self.send(text, to: watcher) }
    }

    /// Closes every connection signed in as `userID` with 4009.
    func terminate(userID: String) {
        guard !has(.terminateIgnored) else { return }
        for channel in state.withLockedValue({ $0.users[userID] ?? [] }) {
            Self.send(Self.errorFrame("Terminated by the app", code: 4009), to: channel)
            Self.close(channel, code: 4009)
        }
    }

    /// Subscriptions of a channel (distinct connections).
    func subscriptionCount(_ channel: String) -> Int {
        state.withLockedValue { Set(($0.subscribers[channel] ?? []).map(\.socketID)).count }
    }

    /// Sends `pusher_internal:subscription_count` to every subscriber of `channel`.
    func announceSubscriptionCount(_ channel: String) {
        guard !has(.subscriptionCountMissing) else { return }
        let count = subscriptionCount(channel)
        let text = frame(
            event: PusherEventName.subscriptionCount,
            channel: channel,
            data: #"{"subscription_count":\#(count)}"#
        )
        for subscriber in state.withLockedValue({ $0.subscribers[channel] ?? [] }) {
            Self.send(text, to: subscriber.channel)
        }
    }

    /// Distinct users of a presence channel.
    func userCount(_ channel: String) -> Int {
        state.withLockedValue { Set(($0.members[channel] ?? []).map(\.userText)).count }
    }

    /// Distinct users in join order.
    func users(_ channel: String) -> [String] {
        var seen: Set<String> = []
        return state.withLockedValue { $0.members[channel] ?? [] }.map(\.userText).filter { seen.insert($0).inserted }
    }
}
