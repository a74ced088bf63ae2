import ChorusProtocol
import ChorusPush
import ChorusPushProviders
import Crypto
import Foundation
import Testing
import _CryptoExtras

@Suite struct CompactJWSTests {
    /// A compact JWS taken apart: header, claims, signing input and signature bytes.
    struct Parts {
        var header: JSONValue
        var claims: JSONValue
        var signingInput: [UInt8]
        var signature: [UInt8]

        init(_ token: String) throws {
            let pieces = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            try #require(pieces.count == 3)
            header = try JSONValue(parsing: try #require(Base64URL.decode(pieces[0])))
            claims = try JSONValue(parsing: try #require(Base64URL.decode(pieces[1])))
            signingInput = Array((pieces[0] + "." + pieces[1]).utf8)
            signature = try #require(Base64URL.decode(pieces[2]))
            #expect(!token.contains("="))
        }
    }

    @Test func anES256TokenVerifiesWithThePublicKeyAndCarriesARawSignature() throws {
        let key = P256.Signing.PrivateKey()
        let token = try CompactJWS.sign(claims: ["iss": "team"], header: ["kid": "K1"], with: .es256(key))
        let parts = try Parts(token)
        #expect(parts.header == ["alg": "ES256", "kid": "K1"])
        #expect(parts.claims == ["iss": "team"])
        #expect(parts.signature.count == 64)
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: parts.signature)
        #expect(key.publicKey.isValidSignature(signature, for: parts.signingInput))
        #expect(!P256.Signing.PrivateKey().publicKey.isValidSignature(signature, for: parts.signingInput))
    }

    @Test func anRS256TokenVerifiesWithThePublicKey() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let token = try CompactJWS.sign(claims: ["scope": "s"], with: .rs256(key))
        let parts = try Parts(token)
        #expect(parts.header == ["alg": "RS256", "typ": "JWT"])
        let signature = _RSA.Signing.RSASignature(rawRepresentation: parts.signature)
        #expect(key.publicKey.isValidSignature(signature, for: parts.signingInput, padding: .insecurePKCS1v1_5))
    }

    @Test func theAPNsProviderTokenNamesTheKeyAndTheTeam() throws {
        let key = P256.Signing.PrivateKey()
        let credential = APNsCredential(
            teamID: "TEAM123456",
            keyID: "KEY1234567",
            privateKey: key.pemRepresentation,
            topic: "com.example.app",
            environment: .sandbox
        )
        let token = try APNsProviderToken.sign(credential, now: 1_800_000_000.5)
        #expect(token.renewAt == 1_800_000_000.5 + 50 * 60)
        let parts = try Parts(token.value)
        #expect(parts.header == ["alg": "ES256", "kid": "KEY1234567"])
        #expect(parts.claims == ["iss": "TEAM123456", "iat": 1_800_000_000])
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: parts.signature)
        #expect(key.publicKey.isValidSignature(signature, for: parts.signingInput))
    }

    @Test func theFCMAssertionAsksForMessagingAtTheTokenEndpoint() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let account = try FCMServiceAccount(
            FCMCredential(
                serviceAccountJSON: JSONValue.object([
                    "client_email": "sender@project.iam.gserviceaccount.com",
                    "private_key": .string(key.pkcs8PEMRepresentation),
                    "token_uri": "https://oauth2.example/token",
                    "project_id": "project",
                ]).jsonText,
                projectID: ""
            )
        )
        #expect(account.projectID == "project")
        let assertion = try FCMAccessToken.assertion(for: account, audience: "http://127.0.0.1:9/token", now: 1000)
        let parts = try Parts(assertion)
        #expect(parts.header == ["alg": "RS256", "typ": "JWT"])
        #expect(
            parts.claims == [
                "iss": "sender@project.iam.gserviceaccount.com",
                "scope": "https://www.googleapis.com/auth/firebase.messaging",
                "aud": "http://127.0.0.1:9/token", "iat": 1000, "exp": 4600,
            ]
        )
        let signature = _RSA.Signing.RSASignature(rawRepresentation: parts.signature)
        #expect(key.publicKey.isValidSignature(signature, for: parts.signingInput, padding: .insecurePKCS1v1_5))
        let request = FCMAccessToken.request(url: "http://127.0.0.1:9/token", assertion: assertion)
        #expect(request.header("content-type") == "application/x-www-form-urlencoded")
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion
        )
    }

    @Test func aServiceAccountWithoutAKeyIsAnInvalidCredential() {
        #expect(throws: ProviderFailure.self) {
            try FCMServiceAccount(FCMCredential(serviceAccountJSON: #"{"client_email":"a"}"#, projectID: "p"))
        }
    }

    @Test func theVAPIDAuthorizationIsSignedForTheEndpointsOrigin() throws {
        let key = P256.Signing.PrivateKey()
        let credential = VAPIDCredential(
            publicKey: Base64URL.encode(key.publicKey.x963Representation),
            privateKey: Base64URL.encode(key.rawRepresentation),
            subject: "mailto:ops@example.com"
        )
        let audience = try #require(VAPID.audience(of: "http://127.0.0.1:8443/push/abc?x=1"))
        #expect(audience == "http://127.0.0.1:8443")
        #expect(VAPID.audience(of: "https://push.example.net/wpush/v2/x") == "https://push.example.net")
        #expect(VAPID.audience(of: "not a url") == nil)
        let authorization = try VAPID.authorization(credential, audience: audience, now: 2000)
        #expect(authorization.renewAt == 2000 + 11 * 3600)
        let fields = authorization.value.split(separator: " ", maxSplits: 1)
        #expect(fields.first == "vapid")
        let parameters = try #require(fields.last).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(parameters.last == "k=" + credential.publicKey)
        let parts = try Parts(String(try #require(parameters.first).dropFirst(2)))
        #expect(parts.header == ["alg": "ES256", "typ": "JWT"])
        #expect(
            parts.claims == [
                "aud": "http://127.0.0.1:8443", "exp": .integer(2000 + 12 * 3600), "sub": "mailto:ops@example.com",
            ]
        )
        let signature = try P256.Signing.ECDSASignature(rawRepresentation: parts.signature)
        #expect(key.publicKey.isValidSignature(signature, for: parts.signingInput))
    }

    @Test func aVAPIDPairThatDoesNotMatchIsRefused() {
        let credential = VAPIDCredential(
            publicKey: Base64URL.encode(P256.Signing.PrivateKey().publicKey.x963Representation),
            privateKey: Base64URL.encode(P256.Signing.PrivateKey().rawRepresentation),
            subject: "mailto:ops@example.com"
        )
        #expect(throws: ProviderFailure.self) { try VAPID.authorization(credential, audience: "https://a", now: 0) }
    }

    @Test func base64URLRoundTripsWithoutPadding() {
        for count in 0..<8 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 * 77 + 250) }
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text) == bytes)
        }
        #expect(Base64URL.decode("a+b/") == nil)
    }
}
