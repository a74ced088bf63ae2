import AsyncHTTPClient
import ChorusProtocol
import ChorusPushFakes
import ChorusPushProviders
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import _CryptoExtras

/// A plain HTTP client for the fakes' own tests (HTTP/2 when the server offers it), trusting the
/// test CA, and the JWTs those tests sign themselves.
struct FakeServiceClient {
    /// One answer, its body read.
    struct Answer {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var version: HTTPVersion
        var body: String

        var json: JSONValue? { try? JSONValue(parsing: body) }
    }

    private let client: HTTPClient

    /// Runs `body` with a client, shut down afterwards.
    static func with<Result>(_ body: (FakeServiceClient) async throws -> Result) async throws -> Result {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(
            try NIOSSLCertificate.fromPEMBytes(Array(TestCertificateAuthority.certificatePEM.utf8))
        )
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.httpVersion = .automatic
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        do {
            let result = try await body(FakeServiceClient(client: client))
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// `POST url` with `headers` and `body`; throws when no answer comes within `timeout`.
    func post(
        _ url: String,
        headers: HTTPHeaders = [:],
        body: some Collection<UInt8>,
        timeout: TimeAmount = .seconds(10)
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Answer(
            status: response.status,
            headers: response.headers,
            version: response.version,
            body: String(buffer: bytes)
        )
    }

    func post(_ url: String, headers: HTTPHeaders = [:], json: JSONValue) async throws -> Answer {
        try await post(url, headers: headers, body: Array(json.jsonText.utf8))
    }
}

/// JWS compact serialisation, signed the way the real clients sign.
enum TestJWT {
    static func es256(kid: String? = nil, claims: JSONValue, key: P256.Signing.PrivateKey) throws -> String {
        var header: [String: JSONValue] = ["alg": "ES256", "typ": "JWT"]
        if let kid { header["kid"] = .string(kid) }
        let input = signingInput(header: .object(header), claims: claims)
        return input + "." + Base64URL.encode(try key.signature(for: Data(input.utf8)).rawRepresentation)
    }

    static func rs256(kid: String, claims: JSONValue, key: _RSA.Signing.PrivateKey) throws -> String {
        let input = signingInput(header: ["alg": "RS256", "typ": "JWT", "kid": .string(kid)], claims: claims)
        let signature = try key.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
        return input + "." + Base64URL.encode(signature.rawRepresentation)
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    private static func signingInput(header: JSONValue, claims: JSONValue) -> String {
        Base64URL.encode(Array(header.jsonText.utf8)) + "." + Base64URL.encode(Array(claims.jsonText.utf8))
    }
}
