package import Foundation
package import NIOSSL

/// The server's certificate chain and private key read from `tls.cert_file` and `tls.key_file`,
/// checked and made into the `NIOSSLContext` new connections are served with.
package struct TLSIdentity: Sendable {
    /// The certificate chain, the server's own certificate first.
    package let chain: [NIOSSLCertificate]
    /// What each new connection's TLS handler is made from.
    package let context: NIOSSLContext

    /// Reads and checks both files; throws a ``ConfigurationError`` naming the file and the problem
    /// when one is missing, unreadable, not PEM, or when the key does not match the certificate.
    package init(settings: TLSSettings) throws(ConfigurationError) {
        func fail(_ setting: String, _ path: String, _ problem: String) -> ConfigurationError {
            ConfigurationError(source: "tls", problems: ["tls.\(setting) \(path): \(problem)"])
        }
        let certificatePEM = try Self.read(settings.certFile, setting: "cert_file")
        let keyPEM = try Self.read(settings.keyFile, setting: "key_file")
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(certificatePEM)
        } catch {
            throw fail("cert_file", settings.certFile, "holds no PEM certificate (\(error))")
        }
        guard !chain.isEmpty else {
            throw fail("cert_file", settings.certFile, "holds no PEM certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: keyPEM, format: .pem)
        } catch {
            throw fail("key_file", settings.keyFile, "holds no unencrypted PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        // TLS 1.0 and 1.1 are deprecated (RFC 8996); every browser and SDK speaks 1.2 or 1.3.
        configuration.minimumTLSVersion = .tlsv12
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw fail(
                "key_file",
                settings.keyFile,
                "is not the private key of the first certificate in \(settings.certFile) (\(error))"
            )
        }
        self.chain = chain
    }

    /// The server certificate's serial number in hexadecimal, as `openssl x509 -serial` prints it.
    package var serial: String {
        chain[0].serialNumber.map { String(format: "%02X", $0) }.joined()
    }

    /// When the server certificate stops being valid.
    package var notValidAfter: Date {
        Date(timeIntervalSince1970: TimeInterval(chain[0].notValidAfter))
    }

    private static func read(_ path: String, setting: String) throws(ConfigurationError) -> [UInt8] {
        func fail(_ problem: String) -> ConfigurationError {
            ConfigurationError(source: "tls", problems: ["tls.\(setting) \(path): \(problem)"])
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw fail("no such file")
        }
        guard !isDirectory.boolValue else { throw fail("is a directory, not a PEM file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot be read") }
        return Array(data)
    }
}
