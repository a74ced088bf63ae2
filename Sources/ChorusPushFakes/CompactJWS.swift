import ChorusProtocol
import Crypto
import Foundation
import _CryptoExtras

/// A JWT in JWS compact serialisation (`header.claims.signature`), split and decoded but not yet
/// trusted: the fakes check its signature against a registered key before reading its claims.
struct CompactJWS: Sendable {
    /// The protected header (`alg`, `kid`, …).
    var header: JSONValue
    /// The claims set (`iss`, `iat`, `aud`, …).
    var claims: JSONValue
    /// The bytes the signature covers: `base64url(header).base64url(claims)`.
    var signingInput: Data
    /// The signature, raw (`r ‖ s` for ES256, the RSA block for RS256).
    var signature: Data

    /// Splits and decodes `text`; `nil` when it is not three base64url parts of which the first two
    /// are JSON objects.
    init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let headerBytes = Base64URL.decode(parts[0]),
            let claimsBytes = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2]),
            let header = try? JSONValue(parsing: headerBytes), header.objectValue != nil,
            let claims = try? JSONValue(parsing: claimsBytes), claims.objectValue != nil
        else { return nil }
        self.header = header
        self.claims = claims
        self.signingInput = Data("\(parts[0]).\(parts[1])".utf8)
        self.signature = Data(signature)
    }

    /// The header's `alg`.
    var algorithm: String? { header["alg"]?.stringValue }

    /// A numeric claim (`iat`, `exp`) in seconds since 1970.
    func seconds(_ claim: String) -> Int64? {
        switch claims[claim] {
        case .integer(let value): value
        case .double(let value): Int64(exactly: value.rounded(.down))
        default: nil
        }
    }

    /// Whether this is an ES256 JWS signed by `key`.
    func isSigned(by key: P256.Signing.PublicKey) -> Bool {
        guard algorithm == "ES256", let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
        else { return false }
        return key.isValidSignature(ecdsa, for: signingInput)
    }

    /// Whether this is an RS256 JWS signed by `key`.
    func isSigned(by key: _RSA.Signing.PublicKey) -> Bool {
        guard algorithm == "RS256" else { return false }
        return key.isValidSignature(
            _RSA.Signing.RSASignature(rawRepresentation: signature),
            for: signingInput,
            padding: .insecurePKCS1v1_5
        )
    }
}
