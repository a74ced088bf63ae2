extension ServerConfiguration {
    /// The `trusted_proxies` entries that are not an IP address or CIDR block.
    var trustedProxyProblems: [String] {
        trustedProxies.filter { IPAddressRange($0) == nil }.map { entry in
            "trusted_proxies: '\(entry)' is not an IP address or CIDR block (e.g. 10.0.0.0/8, 2001:db8::/32)"
        }
    }
}
