import Foundation

/// Pusher HTTP API request signing: HMAC-SHA256 over `METHOD\nPATH\nQUERY`, where QUERY is every
/// query parameter except `auth_signature`, keys lowercased, sorted, joined as `k=v&…`, unescaped.
public struct RequestSigner: Sendable {
    /// The version every signed request carries in `auth_version`.
    public static let authVersion = "1.0"

    public let key: String
    private let signer: HMACSigner

    public init(key: String, secret: String) {
        self.key = key
        self.signer = HMACSigner(secret: secret)
    }

    /// The canonical string that is signed.
    public static func stringToSign(method: String, path: String, query: [(String, String)]) -> String {
        var pairs: [(key: String, value: String)] = []
        for (key, value) in query where key.lowercased() != "auth_signature" {
            pairs.append((key.lowercased(), value))
        }
        pairs.sort { $0.key == $1.key ? $0.value < $1.value : $0.key < $1.key }
        let canonical = pairs.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        return "\(method.uppercased())\n\(path)\n\(canonical)"
    }

    /// The hex signature of a request.
    public func signature(method: String, path: String, query: [(String, String)]) -> String {
        signer.signature(for: Self.stringToSign(method: method, path: path, query: query))
    }

    /// Whether `signature` signs the request, compared in constant time.
    public func isValid(_ signature: String, method: String, path: String, query: [(String, String)]) -> Bool {
        signer.isValid(signature, for: Self.stringToSign(method: method, path: path, query: query))
    }

    /// The full query of a signed request: `extra` plus the auth parameters and `auth_signature`.
    ///
    /// `body_md5` is added when `body` is non-empty. Values are returned unescaped; callers
    /// percent-encode them when building the URL.
    public func signedQuery(
        method: String,
        path: String,
        body: [UInt8] = [],
        extra: [(String, String)] = [],
        timestamp: Int? = nil
    ) -> [(String, String)] {
        var query = extra
        query.append(("auth_key", key))
        query.append(("auth_timestamp", String(timestamp ?? Int(Date().timeIntervalSince1970))))
        query.append(("auth_version", Self.authVersion))
        if !body.isEmpty {
            query.append(("body_md5", Hex.md5(body)))
        }
        query.append(("auth_signature", signature(method: method, path: path, query: query)))
        return query
    }

    /// `path?query` for a signed request, with values percent-encoded.
    public func signedTarget(
        method: String,
        path: String,
        body: [UInt8] = [],
        extra: [(String, String)] = [],
        timestamp: Int? = nil
    ) -> String {
        let query = signedQuery(method: method, path: path, body: body, extra: extra, timestamp: timestamp)
        return path + "?" + query.map { "\($0.0)=\(QueryString.percentEncode($0.1))" }.joined(separator: "&")
    }
}

/// Parsing and escaping of URL query strings.
public enum QueryString {
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    )

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    public static func percentEncode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    /// The decoded `key=value` pairs of a query string, in order (`+` is a space).
    public static func parse(_ query: Substring) -> [(String, String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            return (key, value)
        }
    }

    /// A malformed `%` sequence is kept as it came, like a browser does.
    private static func decode(_ part: Substring) -> String {
        PercentDecoding.decode(part, plusIsSpace: true)
            ?? String(decoding: part.utf8.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }
}
