import ChorusCore
import ChorusProtocol
import NIOCore

/// The channel attributes a request asks for in `info` (`subscription_count,user_count,cache`).
struct ChannelAttributes: OptionSet, Sendable, Hashable {
    let rawValue: Int

    static let subscriptionCount = ChannelAttributes(rawValue: 1)
    static let userCount = ChannelAttributes(rawValue: 2)
    static let cache = ChannelAttributes(rawValue: 4)
    /// A publish's `message_serial` and `history_serial` on each channel that keeps history.
    static let messageSerial = ChannelAttributes(rawValue: 8)

    private static let names: [(String, ChannelAttributes)] = [
        ("subscription_count", .subscriptionCount), ("user_count", .userCount), ("cache", .cache),
        ("message_serial", .messageSerial),
    ]

    init(rawValue: Int) { self.rawValue = rawValue }

    /// Parses a comma-separated list; a name outside `allowed` is a 400.
    init(parsing text: String, allowed: ChannelAttributes) throws(APIError) {
        self = []
        for part in text.split(separator: ",") {
            let name = part.trimmingPrefix(" ")
            guard let attribute = Self.names.first(where: { $0.0 == name })?.1, allowed.contains(attribute) else {
                let known = Self.names.filter { allowed.contains($0.1) }.map(\.0).joined(separator: ", ")
                throw .badRequest("Unknown info attribute '\(name)'; use \(known)", code: "invalid_info")
            }
            insert(attribute)
        }
    }

    /// The requested attributes of one channel as JSON members; `user_count` only for presence channels.
    func members(of channel: String, snapshot: ChannelSnapshot, now: NIODeadline) -> [String: JSONValue] {
        var members: [String: JSONValue] = [:]
        if contains(.subscriptionCount) {
            members["subscription_count"] = .integer(Int64(snapshot.subscriptionCount))
        }
        if contains(.userCount), channel.hasPrefix("presence-") {
            members["user_count"] = .integer(Int64(snapshot.userCount ?? 0))
        }
        if contains(.cache), let cached = snapshot.cached {
            let seconds = max(0, (cached.expires - now).nanoseconds / 1_000_000_000)
            members["cache"] = ["event": .string(cached.event), "data": .string(cached.data), "ttl": .integer(seconds)]
        }
        return members
    }
}
