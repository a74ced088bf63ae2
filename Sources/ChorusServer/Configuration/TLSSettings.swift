/// `tls: {cert_file, key_file}`: the PEM certificate (chain allowed) and private key that make the
/// port serve `wss://` and `https://` only (docs/security.md).
public struct TLSSettings: Sendable, Hashable, Codable, ConfigurationSection {
    /// PEM file holding the server certificate, optionally followed by its intermediates.
    public var certFile: String = ""
    /// PEM file holding the certificate's private key.
    public var keyFile: String = ""

    public init(certFile: String, keyFile: String) {
        self.certFile = certFile
        self.keyFile = keyFile
    }

    package static var settings: [ConfigurationSetting<Self>] {
        [
            .value("cert_file", \.certFile) { $0.isEmpty ? ["must name a PEM file"] : [] },
            .value("key_file", \.keyFile) { $0.isEmpty ? ["must name a PEM file"] : [] },
        ]
    }

    public init(from decoder: any Decoder) throws {
        try decodeSettings(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeSettings(to: encoder)
    }
}
