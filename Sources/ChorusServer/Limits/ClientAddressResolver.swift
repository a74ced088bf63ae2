package import NIOCore
package import NIOHTTP1

/// Decides which address a request comes from, for the per-IP limits.
///
/// The client is the TCP peer, unless the peer is one of `trusted_proxies`: then `X-Forwarded-For`
/// (every such header, read as one comma-separated list) names it. Each trusted proxy appends the
/// address it received the request from, so the list is read from the right: the right-most address
/// that is not a trusted proxy is the client. Addresses left of it were written by the client itself
/// and are never believed. When every listed address is a trusted proxy, the left-most one is the
/// client; when an entry is not an IP address, the address right of it (the proxy that received the
/// entry) is. A peer that is not trusted is the client whatever the header says.
package struct ClientAddressResolver: Sendable {
    package let trustedProxies: [IPAddressRange]

    package init(trustedProxies: [IPAddressRange]) {
        self.trustedProxies = trustedProxies
    }

    /// The client of a request from `peer` with `headers`; `nil` when the peer has no IP address.
    package func client(peer: SocketAddress?, headers: HTTPHeaders) -> IPAddress? {
        guard let peer = peer.flatMap(IPAddress.init) else { return nil }
        guard isTrusted(peer) else { return peer }
        let forwarded = headers["X-Forwarded-For"].flatMap { $0.split(separator: ",") }
        var client = peer
        for entry in forwarded.reversed() {
            guard let address = Self.address(in: entry.trimmingSpaces) else { return client }
            client = address
            if !isTrusted(address) { return address }
        }
        return client
    }

    private func isTrusted(_ address: IPAddress) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }

    /// An entry's address: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
    private static func address(in entry: Substring) -> IPAddress? {
        if let address = IPAddress(entry) { return address }
        if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") { return IPAddress(entry[...close]) }
        if let colon = entry.firstIndex(of: ":"), entry.contains(".") { return IPAddress(entry[..<colon]) }
        return nil
    }
}
