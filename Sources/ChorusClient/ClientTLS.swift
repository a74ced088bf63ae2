import NIOCore
package import NIOSSL

/// How a client connection speaks TLS (`wss://`, `https://`): the certificates it trusts, as one
/// `NIOSSLContext` shared by every connection it opens.
///
/// The server's certificate is verified in full: chain, validity dates and name (an IP address
/// host is matched against the certificate's IP addresses and sent without SNI).
package struct ClientTLS: Sendable {
    package let context: NIOSSLContext

    /// Trusts the system's root certificates.
    package init() throws {
        context = try NIOSSLContext(configuration: .makeClientConfiguration())
    }

    /// Trusts only the PEM certificates in `caFile` (e.g. a test CA).
    package init(caFile: String) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
        context = try NIOSSLContext(configuration: configuration)
    }

    /// The handler that encrypts a connection to `host`; it goes first in the pipeline.
    package func handler(host: String) throws -> NIOSSLClientHandler {
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host)
    }
}
