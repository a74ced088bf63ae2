import ChorusCore
import ChorusProtocol
import NIOCore
import NIOHTTP1

extension PusherAPI {
    /// `GET /apps/{id}/channels?filter_by_prefix=&info=`: occupied channels, `{"channels":{name:{…}}}`.
    /// `user_count` needs a `presence-` prefix filter.
    func listChannels(_ call: Call) throws(APIError) -> HTTPResponse {
        let prefix = call.parameter("filter_by_prefix") ?? ""
        let info = try ChannelAttributes(
            parsing: call.parameter("info") ?? "",
            allowed: [.subscriptionCount, .userCount]
        )
        if info.contains(.userCount), !prefix.hasPrefix("presence-") {
            throw .badRequest(
                "info=user_count needs filter_by_prefix starting with presence-",
                code: "user_count_needs_presence_filter"
            )
        }
        let now = NIODeadline.now()
        var channels: [String: JSONValue] = [:]
        for (name, snapshot) in server.directory.occupiedChannels(appID: call.app.id, prefix: prefix) {
            channels[name] = .object(info.members(of: name, snapshot: snapshot, now: now))
        }
        return .json(.ok, JSONValue.object(["channels": .object(channels)]).jsonText)
    }

    /// `GET /apps/{id}/channels/{name}?info=subscription_count,user_count,cache`: `{"occupied":…}`
    /// plus what `info` asks for; `user_count` only on presence channels.
    func describeChannel(_ name: String, _ call: Call) throws(APIError) -> HTTPResponse {
        let channel = try Self.channelName(name)
        let info = try ChannelAttributes(
            parsing: call.parameter("info") ?? "",
            allowed: [.subscriptionCount, .userCount, .cache]
        )
        if info.contains(.userCount), channel.kind != .presence {
            throw .badRequest("user_count is only available on presence channels", code: "not_presence_channel")
        }
        let now = NIODeadline.now()
        let snapshot = server.directory.snapshot(ChannelKey(appID: call.app.id, channel: name), now: now)
        var members = info.members(of: name, snapshot: snapshot, now: now)
        members["occupied"] = .bool(snapshot.isOccupied)
        return .json(.ok, JSONValue.object(members).jsonText)
    }

    /// `GET /apps/{id}/channels/{name}/users`: `{"users":[{"id":…}]}`, presence channels only.
    func listUsers(_ name: String, _ call: Call) throws(APIError) -> HTTPResponse {
        let channel = try Self.channelName(name)
        guard channel.kind == .presence else {
            throw .badRequest("Users can only be listed on presence channels", code: "not_presence_channel")
        }
        let members = server.directory.members(ChannelKey(appID: call.app.id, channel: name))
        let users: JSONValue = ["users": .array(members.map { ["id": .string($0.userID)] })]
        return .json(.ok, users.jsonText)
    }

    static func channelName(_ name: String) throws(APIError) -> ChannelName {
        guard let channel = ChannelName(name) else {
            throw .badRequest("Invalid channel name '\(name)'", code: "invalid_channel_name")
        }
        return channel
    }
}
