/// What a channel's name prefix makes of it.
public enum ChannelKind: Sendable, Hashable {
    case `public`
    case `private`
    case presence
    case privateEncrypted

    /// Whether subscribing needs a signature from the app's auth endpoint.
    public var requiresAuthentication: Bool { self != .public }

    /// Whether clients may send `client-` events on it.
    public var allowsClientEvents: Bool { self == .private || self == .presence }
}

/// A validated Pusher channel name and what its prefixes mean.
///
/// Names use `[A-Za-z0-9_\-=@,.;]`, at most ``maximumLength`` bytes including the prefix.
/// `#server-to-user-` names are reserved for the server and never valid for subscription.
public struct ChannelName: Sendable, Hashable, CustomStringConvertible {
    /// The longest channel name accepted, prefix included.
    public static let maximumLength = 164
    /// The prefix of the per-user channel that server-to-user messages are sent on.
    public static let serverToUserPrefix = "#server-to-user-"

    public let rawValue: String
    public let kind: ChannelKind
    /// Whether the channel keeps its last event for new subscribers (`cache-`, `private-cache-`, …).
    public let isCache: Bool

    /// Validates `rawValue`; returns `nil` for an empty, over-long or badly charactered name.
    public init?(_ rawValue: String) {
        guard ChannelName.isValid(rawValue) else { return nil }
        self.init(unchecked: rawValue)
    }

    /// The per-user channel for server-to-user messages; only the server creates these.
    public static func serverToUser(_ userID: String) -> ChannelName {
        ChannelName(unchecked: serverToUserPrefix + userID)
    }

    private init(unchecked rawValue: String) {
        self.rawValue = rawValue
        if rawValue.hasPrefix("private-encrypted-") {
            self.kind = .privateEncrypted
            self.isCache = rawValue.hasPrefix("private-encrypted-cache-")
        } else if rawValue.hasPrefix("private-") {
            self.kind = .private
            self.isCache = rawValue.hasPrefix("private-cache-")
        } else if rawValue.hasPrefix("presence-") {
            self.kind = .presence
            self.isCache = rawValue.hasPrefix("presence-cache-")
        } else if rawValue.hasPrefix(ChannelName.serverToUserPrefix) {
            self.kind = .private
            self.isCache = false
        } else {
            self.kind = .public
            self.isCache = rawValue.hasPrefix("cache-")
        }
    }

    /// Whether `name` is an acceptable channel name for clients and publishers.
    public static func isValid(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard !utf8.isEmpty, utf8.count <= maximumLength else { return false }
        return utf8.allSatisfy(isAllowed)
    }

    @inline(__always)
    static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "="), UInt8(ascii: "@"), UInt8(ascii: ","),
            UInt8(ascii: "."), UInt8(ascii: ";"):
            true
        default:
            false
        }
    }

    public var description: String { rawValue }
}
