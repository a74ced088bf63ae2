import ChorusProtocol

/// What the WebSocket upgrade request asked for: `/app/{key}?protocol=7&client=…&version=…`.
package struct ConnectionRequest: Sendable {
    /// The lowest and highest protocol versions served.
    static let supportedProtocols = 5...7

    var appKey: String
    var protocolVersion: Int
    /// The upgrade request's `Origin` header (browsers send it; server-side clients usually do not).
    var origin: String?

    /// Why the connection cannot be served, as a Pusher error code, or `nil` when it can.
    var rejection: PusherErrorCode?

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
                if !Self.supportedProtocols.contains(number) { rejection = .unsupportedProtocolVersion }
            } else {
                rejection = .invalidVersionFormat
            }
        }
    }
}
