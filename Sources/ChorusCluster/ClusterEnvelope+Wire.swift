package import ChorusCore
package import ChorusProtocol
package import NIOCore

/// Why a payload from the cluster channel could not be read.
package struct ClusterWireError: Error, Sendable, CustomStringConvertible {
    package var description: String
}

/// The envelope as JSON on the Redis channel: `{"v":1,"n":node,"q":sequence?,"t":type,…}`. JSON keeps the bus
/// readable with `redis-cli subscribe`; it is encoded once per publish, never per subscriber.
extension ClusterEnvelope {
    /// The wire format's version; a node ignores messages of another version (logged).
    package static let wireVersion: Int64 = 1

    /// The envelope's bytes.
    package func encoded(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var fields: [String: JSONValue] = ["v": .integer(Self.wireVersion), "n": .string(sender.rawValue)]
        if let sequence { fields["q"] = .integer(Int64(truncatingIfNeeded: sequence)) }
        switch message {
        case .events(let appID, let events, let excluding):
            fields["t"] = "events"
            fields["a"] = .string(appID)
            fields["e"] = .array(events.map(Self.json))
            if let excluding { fields["x"] = .string(excluding) }
        case .channelMessage(let appID, let message, let excluding):
            fields["t"] = "message"
            fields["a"] = .string(appID)
            fields["m"] = .string(message.jsonText)
            if let excluding { fields["x"] = .string(excluding) }
        case .shares(let shares):
            fields["t"] = "shares"
            fields["s"] = Self.json(shares)
        case .state(let shares, let onlineUsers):
            fields["t"] = "state"
            fields["s"] = Self.json(shares)
            fields["u"] = .object(onlineUsers.mapValues { .array($0.map { .string($0) }) })
        case .userPresence(let appID, let userID, let online):
            fields["t"] = "user"
            fields["a"] = .string(appID)
            fields["id"] = .string(userID)
            fields["on"] = .bool(online)
        case .terminate(let appID, let userID):
            fields["t"] = "terminate"
            fields["a"] = .string(appID)
            fields["id"] = .string(userID)
        case .hello: fields["t"] = "hello"
        case .heartbeat: fields["t"] = "heartbeat"
        case .goodbye: fields["t"] = "goodbye"
        }
        var bytes: [UInt8] = []
        JSONValue.object(fields).write(into: &bytes)
        return allocator.buffer(bytes: bytes)
    }

    /// Reads an envelope from the cluster channel.
    package init(decoding payload: ByteBuffer) throws(ClusterWireError) {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: payload.readableBytesView)
        } catch {
            throw ClusterWireError(description: "not JSON: \(error)")
        }
        guard json["v"]?.intValue == Int(Self.wireVersion) else {
            throw ClusterWireError(description: "wire version \(json["v"].map(\.jsonText) ?? "missing")")
        }
        guard let sender = json["n"]?.stringValue, let type = json["t"]?.stringValue else {
            throw ClusterWireError(description: "no sender or type")
        }
        let appID = json["a"]?.stringValue ?? ""
        let message: ClusterMessage
        switch type {
        case "events":
            let events = try (json["e"]?.arrayValue ?? []).map(Self.event)
            message = .events(appID: appID, events: events, excludingSocketID: json["x"]?.stringValue)
        case "message":
            guard let text = json["m"]?.stringValue, let parsed = try? PusherMessage(parsing: Array(text.utf8)) else {
                throw ClusterWireError(description: "message without a Pusher message")
            }
            message = .channelMessage(appID: appID, message: parsed, excludingSocketID: json["x"]?.stringValue)
        case "shares":
            message = .shares(try Self.shares(json["s"]))
        case "state":
            let users = (json["u"]?.objectValue ?? [:]).mapValues { $0.arrayValue?.compactMap(\.stringValue) ?? [] }
            message = .state(shares: try Self.shares(json["s"]), onlineUsers: users)
        case "user":
            guard let userID = json["id"]?.stringValue, let online = json["on"]?.boolValue else {
                throw ClusterWireError(description: "user presence without id or state")
            }
            message = .userPresence(appID: appID, userID: userID, online: online)
        case "terminate":
            guard let userID = json["id"]?.stringValue else {
                throw ClusterWireError(description: "terminate without id")
            }
            message = .terminate(appID: appID, userID: userID)
        case "hello": message = .hello
        case "heartbeat": message = .heartbeat
        case "goodbye": message = .goodbye
        default: throw ClusterWireError(description: "unknown type '\(type)'")
        }
        let sequence = json["q"]?.intValue.flatMap { UInt64(exactly: $0) }
        self.init(sender: NodeID(sender), message: message, sequence: sequence)
    }

    private static func json(_ event: PublishedEvent) -> JSONValue {
        var fields: [String: JSONValue] = [
            "name": .string(event.name),
            "channels": .array(event.channels.map { .string($0) }),
            "data": event.data,
        ]
        if let userID = event.userID { fields["user_id"] = .string(userID) }
        if let tags = event.tags { fields["tags"] = .object(tags.mapValues { .string($0) }) }
        if let delta = event.delta { fields["delta"] = .bool(delta) }
        return .object(fields)
    }

    private static func event(_ json: JSONValue) throws(ClusterWireError) -> PublishedEvent {
        guard let name = json["name"]?.stringValue, let channels = json["channels"]?.arrayValue, let data = json["data"]
        else { throw ClusterWireError(description: "event without name, channels or data") }
        return PublishedEvent(
            name: name,
            channels: channels.compactMap(\.stringValue),
            data: data,
            userID: json["user_id"]?.stringValue,
            tags: json["tags"]?.objectValue?.compactMapValues(\.stringValue),
            delta: json["delta"]?.boolValue
        )
    }

    /// Shares as `{"app": {"channel": [subscriptions, [[user_id, user_info?]…]]}}`.
    private static func json(_ shares: [ChannelKey: NodeShare]) -> JSONValue {
        var apps: [String: [String: JSONValue]] = [:]
        for (key, share) in shares {
            let members: [JSONValue] = share.members.map { member in
                .array([.string(member.userID)] + (member.userInfo.map { [$0] } ?? []))
            }
            apps[key.appID, default: [:]][key.channel] = .array([.integer(Int64(share.subscriptions)), .array(members)])
        }
        return .object(apps.mapValues { .object($0) })
    }

    private static func shares(_ json: JSONValue?) throws(ClusterWireError) -> [ChannelKey: NodeShare] {
        var shares: [ChannelKey: NodeShare] = [:]
        for (appID, channels) in json?.objectValue ?? [:] {
            for (channel, value) in channels.objectValue ?? [:] {
                guard let pair = value.arrayValue, pair.count == 2, let count = pair[0].intValue else {
                    throw ClusterWireError(description: "share of \(channel) is not [count, members]")
                }
                let members = (pair[1].arrayValue ?? []).compactMap { member -> PresenceMember? in
                    guard let parts = member.arrayValue, let userID = parts.first?.stringValue else { return nil }
                    return PresenceMember(userID: userID, userInfo: parts.count > 1 ? parts[1] : nil)
                }
                shares[ChannelKey(appID: appID, channel: channel)] = NodeShare(subscriptions: count, members: members)
            }
        }
        return shares
    }
}
