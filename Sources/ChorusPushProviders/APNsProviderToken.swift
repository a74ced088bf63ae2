import ChorusProtocol
package import ChorusPush
import Crypto

/// The APNs provider authentication token: an ES256 JWT (`kid` header; `iss` team, `iat` claims).
package enum APNsProviderToken {
    /// APNs refuses a token older than an hour and one renewed more often than every 20 minutes.
    package static let lifetimeSeconds: Double = 50 * 60

    /// A token for `credential` issued at `now`, good until ``lifetimeSeconds`` later.
    package static func sign(_ credential: APNsCredential, now: Double) throws -> Renewable<String> {
        let key = try P256.Signing.PrivateKey(pemRepresentation: credential.privateKey)
        let token = try CompactJWS.sign(
            claims: ["iss": .string(credential.teamID), "iat": .integer(Int64(now))],
            header: ["kid": .string(credential.keyID)],
            with: .es256(key)
        )
        return Renewable(value: token, renewAt: now + lifetimeSeconds)
    }
}
