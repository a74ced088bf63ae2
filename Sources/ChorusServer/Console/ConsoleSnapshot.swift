import ChorusCore
import ChorusProtocol

/// What the console shows of an app at one moment: this node's connections, and the occupied
/// channels with their subscription and user counts and presence rosters — cluster-wide, as far as
/// the ``ChannelDirectory`` holds the other nodes' shares.
struct ConsoleSnapshot {
    /// Channels listed at most (by name); the page says how many more there are.
    static let maximumChannels = 200
    /// Members listed per presence channel at most.
    static let maximumMembers = 50

    var json: JSONValue

    init(appID: String, server: ServerContext) {
        let occupied = server.directory.occupiedChannels(appID: appID)
        let channels: [JSONValue] = occupied.prefix(Self.maximumChannels).map { name, snapshot in
            var channel: [String: JSONValue] = [
                "name": .string(name),
                "subscription_count": .integer(Int64(snapshot.subscriptionCount)),
            ]
            if let users = snapshot.userCount {
                channel["user_count"] = .integer(Int64(users))
                let members = server.directory.members(ChannelKey(appID: appID, channel: name))
                channel["members"] = .array(
                    members.prefix(Self.maximumMembers).map { member in
                        ["id": .string(member.userID), "info": member.userInfo ?? .null]
                    }
                )
            }
            return .object(channel)
        }
        json = [
            "connections": .integer(Int64(server.connections.count(appID: appID))),
            "channels": .array(channels),
            "channels_not_listed": .integer(Int64(max(0, occupied.count - Self.maximumChannels))),
            "cluster": .bool(server.cluster != nil),
        ]
    }
}
