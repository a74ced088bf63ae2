import ChorusProtocol
package import ChorusPush
import Crypto
import Foundation

/// Voluntary application server identification (RFC 8292): `Authorization: vapid t=<JWT>, k=<key>`.
package enum VAPID {
    /// The JWT's `exp` is this far ahead (the RFC allows at most 24 hours).
    package static let lifetimeSeconds: Double = 12 * 3600

    /// The JWT audience: the origin of the push endpoint (`scheme://host[:port]`).
    package static func audience(of endpoint: String) -> String? {
        guard let url = URLComponents(string: endpoint), let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = url.host, !host.isEmpty
        else { return nil }
        return scheme + "://" + host + (url.port.map { ":\($0)" } ?? "")
    }

    /// The `Authorization` value for `audience`, signed at `now` and renewed an hour before it expires.
    package static func authorization(
        _ credential: VAPIDCredential,
        audience: String,
        now: Double
    ) throws -> Renewable<String> {
        guard let scalar = Base64URL.decode(credential.privateKey),
            let key = try? P256.Signing.PrivateKey(rawRepresentation: scalar),
            Base64URL.decode(credential.publicKey) == Array(key.publicKey.x963Representation)
        else {
            throw ProviderFailure(
                .rejected(.invalidCredential, "the VAPID keys are not a matching P-256 pair in base64url")
            )
        }
        let token = try CompactJWS.sign(
            claims: [
                "aud": .string(audience),
                "exp": .integer(Int64(now + lifetimeSeconds)),
                "sub": .string(credential.subject),
            ],
            with: .es256(key)
        )
        let publicKey = Base64URL.encode(key.publicKey.x963Representation)
        return Renewable(value: "vapid t=\(token), k=\(publicKey)", renewAt: now + lifetimeSeconds - 3600)
    }
}

/// What a VAPID authorization is cached by: the audience and the key pair signing for it.
package struct VAPIDAudience: Hashable, Sendable {
    package var audience: String
    package var credential: VAPIDCredential
}
