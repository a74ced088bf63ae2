import NIOConcurrencyHelpers
package import _CryptoExtras

/// A loopback FCM HTTP v1 with its OAuth token endpoint, plain HTTP/1.1.
///
/// `POST /token` exchanges an RS256 service-account assertion (signature checked against the key
/// registered for its `iss`, `aud` = ``tokenURL``, a messaging `scope`, a sane `iat`/`exp`) for an
/// access token valid an hour. `POST /v1/projects/{project}/messages:send` needs such a token
/// (else 401 `UNAUTHENTICATED`) for that project, a `message` with a `token` and only string
/// `data` values (else 400 `INVALID_ARGUMENT`), then answers as the test scripted in ``ledger``
/// (`{"name": "projects/{project}/messages/{id}"}` by default). Errors are Google's shape with
/// the FCM error code in `details`.
package final class FakeFCM: FakePushService {
    package let port: Int
    private let endpoint: FCMEndpoint
    private let server: FakeHTTPServer

    package var ledger: FakeLedger { endpoint.ledger }

    /// `http://127.0.0.1:{port}`: the FCM base URL to configure.
    package var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `{baseURL}/token`: the OAuth token endpoint, the `aud` of a valid assertion.
    package var tokenURL: String { baseURL + "/token" }

    /// How many access tokens the token endpoint issued.
    package var issuedAccessTokenCount: Int {
        endpoint.accessTokens.withLockedValue { $0.count }
    }

    private init(endpoint: FCMEndpoint, server: FakeHTTPServer) {
        self.endpoint = endpoint
        self.server = server
        self.port = server.port
        endpoint.tokenURL.withLockedValue { [tokenURL] in $0 = tokenURL }
    }

    /// Starts serving on 127.0.0.1:`port` (0: a free port, see ``port``).
    package static func start(port: Int = 0) async throws -> FakeFCM {
        let endpoint = FCMEndpoint()
        let server = try await FakeHTTPServer.start(port: port, tls: nil) { endpoint.respond(to: $0) }
        return FakeFCM(endpoint: endpoint, server: server)
    }

    /// Accepts assertions from `clientEmail` signed by `publicKey`, for project `projectID`.
    package func register(clientEmail: String, projectID: String, publicKey: _RSA.Signing.PublicKey) {
        endpoint.serviceAccounts.withLockedValue {
            $0[clientEmail] = FCMEndpoint.ServiceAccount(projectID: projectID, publicKey: publicKey)
        }
    }

    package func shutdown() async {
        await server.shutdown()
    }
}
