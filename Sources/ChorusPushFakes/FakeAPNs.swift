package import Crypto

/// A loopback APNs: HTTP/2 over TLS (the test CA's certificate, ALPN `h2`) serving
/// `POST /3/device/{token}`. It verifies the ES256 provider token against the keys registered with
/// ``register(teamID:keyID:publicKey:)`` (`kid`, `iss`, `iat` within the hour, signature), the
/// `apns-topic` and `apns-push-type` headers and the JSON payload with `aps`, then answers as the
/// test scripted in ``ledger`` (200 with `apns-id` by default) and records what it accepted.
/// Errors are APNs's: the status and `{"reason": …}` (410 also with `timestamp`).
///
/// A client trusts ``TestCertificateAuthority/certificatePEM`` to reach it.
package final class FakeAPNs: FakePushService {
    package let port: Int
    private let endpoint: APNsEndpoint
    private let server: FakeHTTPServer

    package var ledger: FakeLedger { endpoint.ledger }

    /// `https://127.0.0.1:{port}` (the certificate names `127.0.0.1` and `localhost`).
    package var baseURL: String { "https://127.0.0.1:\(port)" }

    private init(endpoint: APNsEndpoint, server: FakeHTTPServer) {
        self.endpoint = endpoint
        self.server = server
        self.port = server.port
    }

    /// Starts serving on 127.0.0.1:`port` (0: a free port, see ``port``).
    package static func start(port: Int = 0) async throws -> FakeAPNs {
        let endpoint = APNsEndpoint()
        let server = try await FakeHTTPServer.start(port: port, tls: FakeHTTPServer.http2TLSContext()) {
            endpoint.respond(to: $0)
        }
        return FakeAPNs(endpoint: endpoint, server: server)
    }

    /// Accepts provider tokens with `kid` = `keyID` and `iss` = `teamID` signed by `publicKey`.
    package func register(teamID: String, keyID: String, publicKey: P256.Signing.PublicKey) {
        endpoint.register(teamID: teamID, keyID: keyID, publicKey: publicKey)
    }

    package func shutdown() async {
        await server.shutdown()
    }
}
