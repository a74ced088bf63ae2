import Foundation
package import Logging
package import NIOSSL
import Synchronization

/// The TLS identity the server currently hands to new connections, re-read from its files on
/// ``reload()`` (SIGHUP).
///
/// A connection keeps the `NIOSSLContext` it was accepted with, so a reload never touches open
/// connections; only connections accepted afterwards get the new certificate. A reload that fails
/// keeps the identity in use.
package final class TLSCertificateStore: Sendable {
    private let settings: TLSSettings
    private let logger: Logger
    private let current: Mutex<TLSIdentity>

    /// Reads the files once; throws a ``ConfigurationError`` naming the file and the problem.
    package init(settings: TLSSettings, logger: Logger) throws(ConfigurationError) {
        let identity = try TLSIdentity(settings: settings)
        self.settings = settings
        self.logger = logger
        self.current = Mutex(identity)
        log(identity, "TLS certificate loaded")
    }

    /// The identity in use.
    package var identity: TLSIdentity { current.withLock { $0 } }

    /// The handler that encrypts a newly accepted connection with the identity in use.
    package func makeHandler() -> NIOSSLServerHandler {
        NIOSSLServerHandler(context: current.withLock { $0.context })
    }

    /// Re-reads both files: on success new connections get the new identity; on failure the error
    /// is logged and the identity in use is kept. Returns whether the new files were taken.
    @discardableResult
    package func reload() -> Bool {
        do {
            let identity = try TLSIdentity(settings: settings)
            current.withLock { $0 = identity }
            log(identity, "TLS certificate reloaded")
            return true
        } catch {
            logger.error(
                "TLS reload failed; keeping the certificate in use",
                metadata: ["error": .string(error.problems.joined(separator: "; "))]
            )
            return false
        }
    }

    private func log(_ identity: TLSIdentity, _ message: Logger.Message) {
        logger.info(
            message,
            metadata: [
                "cert_file": .string(settings.certFile),
                "serial": .string(identity.serial),
                "not_valid_after": .string(identity.notValidAfter.formatted(.iso8601)),
            ]
        )
        if identity.notValidAfter < Date() {
            logger.warning(
                "the TLS certificate has expired; clients will refuse it",
                metadata: ["cert_file": .string(settings.certFile)]
            )
        }
    }
}
