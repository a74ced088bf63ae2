/// Where a server listens: a host and a port, written `host:port`, `ws://host:port` or
/// `http://host:port` (`[::1]:6001` for an IPv6 literal); `wss://host:port` or `https://host:port`
/// for a server that speaks TLS.
///
/// A Pusher server answers its WebSockets and its HTTP API on the same port, so one address names both.
public struct ServerAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// Written with `wss://` or `https://`: the server speaks TLS.
    public var tls: Bool

    public init(host: String, port: Int, tls: Bool = false) {
        self.host = host
        self.port = port
        self.tls = tls
    }

    /// Parses `host:port`, optionally after `ws://`, `http://`, `wss://` or `https://` and before a final `/`.
    public init(parsing text: String) throws(ServerAddressError) {
        func fail(_ reason: String) -> ServerAddressError { ServerAddressError(text: text, reason: reason) }
        var rest = Substring(text)
        var tls = false
        if let scheme = rest.firstRange(of: "://") {
            let name = rest[..<scheme.lowerBound].lowercased()
            guard ["ws", "http", "wss", "https"].contains(name) else {
                throw fail("the scheme must be ws://, http://, wss:// or https://, got \(name)://")
            }
            tls = name == "wss" || name == "https"
            rest = rest[scheme.upperBound...]
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/"), !rest.contains("?"), !rest.contains("@") else {
            throw fail("must be host:port without a path, query or user")
        }
        guard let colon = rest.lastIndex(of: ":") else { throw fail("must be host:port (no port given)") }
        var host = rest[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = host.dropFirst().dropLast()
        } else if host.contains(":") {
            throw fail("an IPv6 host must be in brackets, e.g. [::1]:6001")
        }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else {
            throw fail("must name a host before the port")
        }
        guard let port = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(port) else {
            throw fail("the port must be a number from 1 to 65535")
        }
        self.init(host: String(host), port: port, tls: tls)
    }

    /// `host:port`, with an IPv6 host in brackets.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Why a text is not a ``ServerAddress``.
public struct ServerAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text given.
    public var text: String
    public var reason: String

    public var description: String { "'\(text)' is not a server address: \(reason)" }
}
