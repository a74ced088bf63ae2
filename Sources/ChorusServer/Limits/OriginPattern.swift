/// One entry of an app's `allowed_origins`, matched against a WebSocket upgrade's `Origin` header.
///
/// - `*` matches every origin (`null` included).
/// - `scheme://host[:port]` matches that origin exactly; scheme and host compare case-insensitively
///   and a default port (80 for http, 443 for https) may be written or left out.
/// - `scheme://*.domain[:port]` matches every subdomain of `domain`, at any depth, but not `domain`
///   itself (list `scheme://domain` beside it to allow both).
package struct OriginPattern: Sendable, Hashable {
    private enum Kind: Hashable {
        case any
        case exact(WebOrigin)
        case subdomains(scheme: String, suffix: String, port: Int?)
    }

    private let kind: Kind

    /// Parses a configured entry; `nil` when it is none of the three forms.
    package init?(_ text: String) {
        if text == "*" {
            kind = .any
            return
        }
        guard let origin = WebOrigin(text, allowingWildcard: true) else { return nil }
        if origin.host.hasPrefix("*.") {
            let suffix = String(origin.host.dropFirst())
            guard suffix.count > 1, !suffix.contains("*") else { return nil }
            kind = .subdomains(scheme: origin.scheme, suffix: suffix, port: origin.port)
        } else {
            guard !origin.host.contains("*") else { return nil }
            kind = .exact(origin)
        }
    }

    /// Whether the `Origin` header value `origin` is allowed by this entry.
    package func matches(_ origin: String) -> Bool {
        switch kind {
        case .any:
            return true
        case .exact(let allowed):
            return WebOrigin(origin, allowingWildcard: false) == allowed
        case .subdomains(let scheme, let suffix, let port):
            guard let origin = WebOrigin(origin, allowingWildcard: false) else { return false }
            return origin.scheme == scheme && origin.port == port && origin.host.count > suffix.count
                && origin.host.hasSuffix(suffix)
        }
    }
}

/// A serialized web origin, `scheme://host[:port]`, normalized: lower case, default port left out.
struct WebOrigin: Hashable {
    var scheme: String
    var host: String
    /// `nil` for the scheme's default port.
    var port: Int?

    /// Parses `scheme://host[:port]` (an IPv6 host in brackets); `nil` for anything else (a path,
    /// `null`, an empty host). `*` is accepted in the host only with `allowingWildcard`.
    init?(_ text: String, allowingWildcard: Bool) {
        let lowered = text.lowercased()
        guard let separator = lowered.firstRange(of: "://") else { return nil }
        let scheme = String(lowered[..<separator.lowerBound])
        var rest = lowered[separator.upperBound...]
        let schemeCharacters = scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
        guard !scheme.isEmpty, schemeCharacters else { return nil }
        var host: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[...close]
            rest = rest[rest.index(after: close)...]
        } else {
            let end = rest.firstIndex(of: ":") ?? rest.endIndex
            host = rest[..<end]
            rest = rest[end...]
        }
        var port: Int?
        if !rest.isEmpty {
            guard rest.hasPrefix(":"), let number = Int(rest.dropFirst()), (1...65535).contains(number) else {
                return nil
            }
            port = number
        }
        let allowed: (Character) -> Bool = { character in
            character.isASCII && (character.isLetter || character.isNumber || "-.[]:".contains(character))
                || (allowingWildcard && character == "*")
        }
        guard !host.isEmpty, host.allSatisfy(allowed) else { return nil }
        if port == Self.defaultPort(scheme) { port = nil }
        self.scheme = scheme
        self.host = String(host)
        self.port = port
    }

    private static func defaultPort(_ scheme: String) -> Int? {
        switch scheme {
        case "http", "ws": 80
        case "https", "wss": 443
        default: nil
        }
    }
}
