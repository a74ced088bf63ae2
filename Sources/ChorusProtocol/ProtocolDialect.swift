/// The naming a connection speaks: Pusher's (protocols 5 to 7) or Sockudo's protocol 2, whose
/// system events are `sockudo:` and `sockudo_internal:` instead of `pusher:` and `pusher_internal:`.
///
/// The server works in Pusher's naming throughout; a protocol 2 connection's messages are renamed
/// on their way in and out, here and nowhere else.
public enum ProtocolDialect: Sendable, Hashable {
    case pusher
    case sockudo

    /// The dialect of protocol version `version` (`?protocol=` of the upgrade request).
    public init(protocolVersion version: Int) {
        self = version == 2 ? .sockudo : .pusher
    }

    private static let renames: [(pusher: String, sockudo: String)] = [
        ("pusher_internal:", "sockudo_internal:"),
        ("pusher:", "sockudo:"),
    ]

    /// `name`, an event in Pusher's naming, as this dialect names it.
    public func outgoing(_ name: String) -> String {
        guard self == .sockudo else { return name }
        for rename in Self.renames where name.hasPrefix(rename.pusher) {
            return rename.sockudo + name.dropFirst(rename.pusher.count)
        }
        return name
    }

    /// `name`, an event a client of this dialect sent, in Pusher's naming. Protocol 2 clients may
    /// use either prefix, as Sockudo allows.
    public func incoming(_ name: String) -> String {
        guard self == .sockudo else { return name }
        for rename in Self.renames where name.hasPrefix(rename.sockudo) {
            return rename.pusher + name.dropFirst(rename.sockudo.count)
        }
        return name
    }
}

extension PusherMessage {
    /// The message as `dialect` names it.
    public func named(for dialect: ProtocolDialect) -> PusherMessage {
        guard dialect != .pusher else { return self }
        var renamed = self
        renamed.event = dialect.outgoing(event)
        return renamed
    }
}
