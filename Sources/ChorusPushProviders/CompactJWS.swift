package import ChorusProtocol
package import Crypto
import Foundation
package import _CryptoExtras

/// The key a JWT is signed with, and so its `alg`.
package enum JWSSigningKey {
    /// ECDSA P-256 with SHA-256: APNs provider tokens, VAPID.
    case es256(P256.Signing.PrivateKey)
    /// RSASSA-PKCS1-v1_5 with SHA-256: Google service-account assertions.
    case rs256(_RSA.Signing.PrivateKey)

    /// The JOSE `alg` name.
    package var algorithm: String {
        switch self {
        case .es256: "ES256"
        case .rs256: "RS256"
        }
    }
}

/// Compact JWS serialisation (RFC 7515 §7.1) of a JWT: the one place tokens are signed.
package enum CompactJWS {
    /// `base64url(header).base64url(claims).base64url(signature)`: the header is `header` with
    /// the key's `alg`; an ES256 signature is the raw 64-byte `r||s` (RFC 7518 §3.4), not DER.
    package static func sign(
        claims: JSONValue,
        header: [String: JSONValue] = ["typ": "JWT"],
        with key: JWSSigningKey
    ) throws -> String {
        var header = header
        header["alg"] = .string(key.algorithm)
        let signingInput =
            Base64URL.encode(Array(JSONValue.object(header).jsonText.utf8)) + "."
            + Base64URL.encode(Array(claims.jsonText.utf8))
        let input = Array(signingInput.utf8)
        let signature: Data
        switch key {
        case .es256(let key): signature = try key.signature(for: input).rawRepresentation
        case .rs256(let key): signature = try key.signature(for: input, padding: .insecurePKCS1v1_5).rawRepresentation
        }
        return signingInput + "." + Base64URL.encode(signature)
    }
}
