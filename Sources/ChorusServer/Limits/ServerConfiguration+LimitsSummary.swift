extension ServerConfiguration {
    /// The start-up banner lines of the per-IP limits in force; `fromFile` says whether a
    /// configuration file was read (the embedded default turns the API limit off).
    package func limitsSummary(fromFile: Bool) -> [String] {
        let api: String =
            if apiRequestsPerIPPerMinute > 0 {
                "\(apiRequestsPerIPPerMinute)/min"
            } else if fromFile {
                "off (api_requests_per_ip_per_minute: 0)"
            } else {
                "off (embedded default; a config file turns on \(Self.defaultAPIRequestsPerIPPerMinute)/min)"
            }
        let connections: String =
            if connectionsPerIPPerSecond > 0 {
                "\(connectionsPerIPPerSecond)/s"
            } else if fromFile {
                "off (connections_per_ip_per_second: 0)"
            } else {
                "off (embedded default; a config file turns on \(Self.defaultConnectionsPerIPPerSecond)/s)"
            }
        let proxies = trustedProxies.isEmpty ? "none (X-Forwarded-For ignored)" : trustedProxies.joined(separator: ", ")
        return [
            "per-IP API limit: \(api)",
            "per-IP connection limit: \(connections)",
            "trusted proxies: \(proxies)",
        ]
    }
}
