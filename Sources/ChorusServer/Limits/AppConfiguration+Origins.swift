extension AppConfiguration {
    /// Whether a WebSocket whose upgrade carried `origin` (its `Origin` header) may connect: always
    /// when the header is absent (server-side clients send none) or `allowed_origins` is empty,
    /// otherwise when an entry matches (``OriginPattern``).
    package func allowsOrigin(_ origin: String?) -> Bool {
        guard let origin, !allowedOrigins.isEmpty else { return true }
        return allowedOrigins.contains { OriginPattern($0)?.matches(origin) ?? false }
    }

    /// The `allowed_origins` entries that are not origin patterns.
    var originProblems: [String] {
        allowedOrigins.filter { OriginPattern($0) == nil }.map { entry in
            "allowed_origins: '\(entry)' is not '*', scheme://host[:port] or scheme://*.domain[:port]"
        }
    }
}
