import ChorusProtocol
package import Crypto
package import Foundation
import NIOConcurrencyHelpers

/// A loopback Web Push service (RFC 8030), plain HTTP/1.1.
///
/// ``makeSubscription(id:privateKey:authSecret:)`` plays the browser: a user agent key pair and auth
/// secret behind an endpoint `http://127.0.0.1:{port}/push/{id}`. `POST /push/{id}` needs a valid
/// `Authorization: vapid t=…, k=…` (ES256 by `k`, `aud` = ``baseURL``, `exp` in the next 24 h,
/// `sub`; else 401), `Content-Encoding: aes128gcm` (else 415) and `TTL` (else 400); the body must
/// decrypt with the subscription's keys (else 400). Then it answers as the test scripted in
/// ``ledger`` (201 by default) and records the decrypted plaintext.
package final class FakeWebPush: FakePushService {
    package let port: Int
    private let endpoint: WebPushEndpoint
    private let server: FakeHTTPServer

    package var ledger: FakeLedger { endpoint.ledger }

    /// `http://127.0.0.1:{port}`: the origin, a VAPID token's `aud`.
    package var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(endpoint: WebPushEndpoint, server: FakeHTTPServer) {
        self.endpoint = endpoint
        self.server = server
        self.port = server.port
        endpoint.origin.withLockedValue { [baseURL] in $0 = baseURL }
    }

    /// Starts serving on 127.0.0.1:`port` (0: a free port, see ``port``).
    package static func start(port: Int = 0) async throws -> FakeWebPush {
        let endpoint = WebPushEndpoint()
        let server = try await FakeHTTPServer.start(port: port, tls: nil) { endpoint.respond(to: $0) }
        return FakeWebPush(endpoint: endpoint, server: server)
    }

    /// A new subscription `id` (a fresh one unless given) whose messages are decrypted with
    /// `privateKey` and `authSecret` (new random ones unless given, e.g. RFC 8291's example keys).
    package func makeSubscription(
        id: String = UUID().uuidString.lowercased(),
        privateKey: P256.KeyAgreement.PrivateKey = .init(),
        authSecret: Data = Data(SymmetricKey(size: .init(bitCount: 128)).withUnsafeBytes { Array($0) })
    ) -> FakeWebPushSubscription {
        endpoint.subscriptions.withLockedValue {
            $0[id] = WebPushDecryption(privateKey: privateKey, authSecret: authSecret)
        }
        return FakeWebPushSubscription(
            id: id,
            endpoint: "\(baseURL)/push/\(id)",
            p256dh: Base64URL.encode(privateKey.publicKey.x963Representation),
            auth: Base64URL.encode(authSecret)
        )
    }

    package func shutdown() async {
        await server.shutdown()
    }
}
