import ChorusServer
import Foundation
import Logging
import Testing

/// Reading `tls.cert_file` and `tls.key_file`: a chain with its intermediate, every way a file can
/// be wrong named in the error, and reloads that take new files or keep the old ones.
@Suite("TLS identity")
struct TLSIdentityTests {
    private static func settings(_ cert: String, _ key: String) -> TLSSettings {
        TLSSettings(certFile: TLSTestCertificates.path(cert), keyFile: TLSTestCertificates.path(key))
    }

    private static func problem(_ settings: TLSSettings) -> String? {
        do {
            _ = try TLSIdentity(settings: settings)
            return nil
        } catch {
            return error.problems.joined()
        }
    }

    @Test("a chain file gives the server certificate and its intermediate")
    func chain() throws {
        let identity = try TLSIdentity(settings: Self.settings("server.pem", "server.key"))
        #expect(identity.chain.count == 2)
        #expect(identity.notValidAfter > Date())
        #expect(identity.serial.count >= 2 && identity.serial.allSatisfy(\.isHexDigit))
    }

    @Test("a missing file, a directory, a file that is not PEM and a key of another certificate are named")
    func badFiles() throws {
        let directory = TLSTestCertificates.directory
        let garbage = TLSTestCertificates.path("garbage.txt")
        try "not PEM\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        let missing = TLSSettings(certFile: "\(directory)/missing.pem", keyFile: "\(directory)/server.key")
        #expect(Self.problem(missing) == "tls.cert_file \(directory)/missing.pem: no such file")
        let folder = TLSSettings(certFile: "\(directory)/server.pem", keyFile: directory)
        #expect(Self.problem(folder) == "tls.key_file \(directory): is a directory, not a PEM file")
        let notCertificate = TLSSettings(certFile: garbage, keyFile: "\(directory)/server.key")
        #expect(Self.problem(notCertificate)?.hasPrefix("tls.cert_file \(garbage): holds no PEM certificate") == true)
        let notKey = TLSSettings(certFile: "\(directory)/server.pem", keyFile: garbage)
        #expect(
            Self.problem(notKey)?.hasPrefix("tls.key_file \(garbage): holds no unencrypted PEM private key") == true
        )
        let mismatch = Self.settings("server.pem", "renewed.key")
        #expect(
            Self.problem(mismatch)?.hasPrefix(
                "tls.key_file \(directory)/renewed.key: is not the private key of the first certificate in \(directory)/server.pem"
            ) == true
        )
    }

    @Test("an expired certificate loads (clients refuse it, the server only warns)")
    func expired() throws {
        let identity = try TLSIdentity(settings: Self.settings("expired.pem", "expired.key"))
        #expect(identity.notValidAfter < Date())
    }

    @Test("a reload takes the new files; a failed one keeps the identity in use")
    func reload() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func install(_ name: String) throws {
            for (source, target) in [("\(name).pem", "cert.pem"), ("\(name).key", "key.pem")] {
                try? FileManager.default.removeItem(atPath: "\(folder)/\(target)")
                try FileManager.default.copyItem(
                    atPath: TLSTestCertificates.path(source),
                    toPath: "\(folder)/\(target)"
                )
            }
        }
        try install("server")
        var logger = Logger(label: "tls-test")
        logger.logLevel = .critical
        let store = try TLSCertificateStore(
            settings: TLSSettings(certFile: "\(folder)/cert.pem", keyFile: "\(folder)/key.pem"),
            logger: logger
        )
        let first = store.identity.serial
        try "broken\n".write(toFile: "\(folder)/cert.pem", atomically: true, encoding: .utf8)
        #expect(!store.reload())
        #expect(store.identity.serial == first)
        try install("renewed")
        #expect(store.reload())
        let renewed = try TLSIdentity(settings: Self.settings("renewed.pem", "renewed.key"))
        #expect(store.identity.serial == renewed.serial && renewed.serial != first)
    }
}
