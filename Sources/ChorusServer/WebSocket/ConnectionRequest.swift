package import ChorusProtocol

/// What the WebSocket upgrade request asked for: `/app/{key}?protocol=7&client=…&version=…`.
///
/// Protocols 5 to 7 are Pusher's; protocol 2 is Sockudo's (`sockudo:` event names), whose clients
/// also send `format` (only `json` is served), `echo_messages` and `append_mode`.
package struct ConnectionRequest: Sendable {
    /// The Pusher protocol versions served; Sockudo's protocol 2 is served besides them.
    static let supportedProtocols = 5...7
    /// Sockudo's protocol version.
    static let sockudoProtocol = 2

    var appKey: String
    var protocolVersion: Int
    /// The event naming the connection speaks, from its protocol version.
    var dialect: ProtocolDialect { ProtocolDialect(protocolVersion: protocolVersion) }
    /// The upgrade request's `Origin` header (browsers send it; server-side clients usually do not).
    var origin: String?

    /// Why the connection cannot be served, as a Pusher error code, or `nil` when it can.
    package var rejection: PusherErrorCode?
    /// What the client is told with `rejection`, when more than the code's meaning.
    var rejectionReason: String?

    /// Parses the request target; returns `nil` when the path is not `/app/{key}`.
    package init?(uri: String, origin: String? = nil) {
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts[0]
        guard path.hasPrefix("/app/") else { return nil }
        let key = path.dropFirst("/app/".count)
        self.appKey = String(key)
        self.origin = origin
        let query = parts.count > 1 ? QueryString.parse(parts[1]) : []
        let version = query.first { $0.0 == "protocol" }?.1
        self.protocolVersion = 7
        self.rejection = nil
        if key.isEmpty || key.contains("/") {
            rejection = .pathNotFound
        } else if let version {
            if let number = Int(version) {
                protocolVersion = number
                if !Self.supportedProtocols.contains(number), number != Self.sockudoProtocol {
                    rejection = .unsupportedProtocolVersion
                }
            } else {
                rejection = .invalidVersionFormat
            }
        }
        if rejection == nil, protocolVersion == Self.sockudoProtocol,
            let format = query.first(where: { $0.0 == "format" })?.1, format != "json"
        {
            rejection = .unsupportedProtocolVersion
            rejectionReason = "Unsupported wire format '\(format)': this server speaks format=json"
        }
    }
}
