/// Where a Redis server is: `redis://[:password@]host[:port][/database]`.
package struct RedisAddress: Sendable, Hashable {
    package var host: String
    package var port: Int
    package var password: String?
    package var database: Int

    package init(host: String, port: Int = 6379, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.password = password
        self.database = database
    }

    /// Parses `redis://[:password@]host[:port][/database]`. The password may be percent-encoded and
    /// may follow the user name `default` (Redis 6 ACL form); `rediss` (TLS) is not supported.
    package init(url: String) throws(RedisError) {
        guard let schemeEnd = url.firstRange(of: "://") else {
            throw .invalidURL("expected redis://host[:port][/database]")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "redis" else {
            throw .invalidURL("unsupported scheme \(scheme) (only redis://, no TLS)")
        }
        var rest = url[schemeEnd.upperBound...]
        guard !rest.contains("?"), !rest.contains("#") else {
            throw .invalidURL("query and fragment are not supported")
        }
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty {
                guard let number = Int(path), number >= 0 else {
                    throw .invalidURL("the database must be a number >= 0")
                }
                database = number
            }
            rest = rest[..<slash]
        }
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            guard let colon = userInfo.firstIndex(of: ":") else {
                throw .invalidURL("expected :password@ before the host")
            }
            let user = userInfo[..<colon]
            guard user.isEmpty || user == "default" else {
                throw .invalidURL("only the default user is supported")
            }
            password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...])
        }
        let (host, port) = try Self.hostAndPort(rest)
        self.init(host: host, port: port, password: password, database: database)
    }

    private static func hostAndPort(_ text: Substring) throws(RedisError) -> (String, Int) {
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .invalidURL("unterminated IPv6 address") }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidURL("unexpected text after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = text.firstIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { throw .invalidURL("no host") }
        var port = 6379
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw .invalidURL("the port must be 1...65535")
            }
            port = number
        }
        return (String(host), port)
    }

    private static func percentDecoded(_ text: Substring) throws(RedisError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue)
            else { throw .invalidURL("bad percent-encoding in the password") }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension RedisAddress: CustomStringConvertible {
    /// The address as a URL without the password, for logs.
    package var description: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        let auth = self.password == nil ? "" : ":***@"
        return "redis://\(auth)\(host):\(self.port)/\(self.database)"
    }
}
