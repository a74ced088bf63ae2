import Foundation

/// The throw-away PKI of scripts/lib/test-certs.sh, made once per test run in a temporary directory
/// (no key is committed): a root CA, a server chain for 127.0.0.1, a renewed and an expired
/// certificate, and an unrelated CA.
enum TLSTestCertificates {
    /// The directory holding `ca.pem`, `server.pem`/`server.key`, `renewed.*`, `expired.*`, `other-ca.pem`.
    static let directory: String = {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("chorus-test-certs-\(ProcessInfo.processInfo.processIdentifier)").path
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/lib/test-certs.sh")
        let process = Process()
        process.executableURL = script
        process.arguments = [directory]
        do {
            try process.run()
        } catch {
            fatalError("cannot run \(script.path): \(error)")
        }
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "\(script.path) failed")
        return directory
    }()

    /// The path of `name` in ``directory``.
    static func path(_ name: String) -> String { "\(directory)/\(name)" }
}
