import ChorusProtocol
import ChorusPush
import _CryptoExtras

/// An OAuth2 access token for FCM and the project it sends for.
package struct FCMAccess: Sendable, Hashable {
    package var accessToken: String
    package var projectID: String

    package init(accessToken: String, projectID: String) {
        self.accessToken = accessToken
        self.projectID = projectID
    }
}

/// The OAuth2 JWT-bearer grant (RFC 7523) that turns a service account into an access token.
package enum FCMAccessToken {
    /// The OAuth scope that sends FCM messages.
    package static let scope = "https://www.googleapis.com/auth/firebase.messaging"
    /// How long an assertion is valid (Google's maximum).
    package static let assertionLifetimeSeconds: Int64 = 3600

    /// The RS256 assertion: `iss` the account, `scope`, `aud` the token endpoint, `iat`, `exp`.
    package static func assertion(for account: FCMServiceAccount, audience: String, now: Double) throws -> String {
        let key: _RSA.Signing.PrivateKey
        do {
            key = try _RSA.Signing.PrivateKey(pemRepresentation: account.privateKeyPEM)
        } catch {
            throw ProviderFailure(.rejected(.invalidCredential, "the service account's private_key is not an RSA key"))
        }
        let issuedAt = Int64(now)
        return try CompactJWS.sign(
            claims: [
                "iss": .string(account.clientEmail),
                "scope": .string(scope),
                "aud": .string(audience),
                "iat": .integer(issuedAt),
                "exp": .integer(issuedAt + assertionLifetimeSeconds),
            ],
            with: .rs256(key)
        )
    }

    /// The form-encoded token request to `url`.
    package static func request(url: String, assertion: String) -> ProviderRequest {
        let body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion
        return ProviderRequest(
            url: url,
            headers: [("content-type", "application/x-www-form-urlencoded")],
            body: Array(body.utf8)
        )
    }

    /// The token in the endpoint's answer, renewed 5 minutes before `expires_in` (or halfway,
    /// for short-lived ones); throws a ``ProviderFailure``: retry on 429/5xx, otherwise the
    /// credential is refused.
    package static func token(
        from response: ProviderResponse,
        projectID: String,
        now: Double
    ) throws -> Renewable<FCMAccess> {
        let json = try? JSONValue(parsing: response.body)
        guard response.status == 200 else {
            let error = json?["error"]?.stringValue.map { " \($0)" } ?? ""
            let reason = "token endpoint \(response.status)\(error)"
            throw ProviderFailure(
                response.isTransient
                    ? ProviderVerdict.retry(response, reason: reason, now: now).attempt
                    : .rejected(.invalidCredential, reason)
            )
        }
        guard let accessToken = json?["access_token"]?.stringValue, let expiresIn = json?["expires_in"]?.intValue else {
            throw ProviderFailure(.retry(reason: "token endpoint answered without access_token", retryAfter: nil))
        }
        let lifetime = Double(expiresIn)
        return Renewable(
            value: FCMAccess(accessToken: accessToken, projectID: projectID),
            renewAt: now + max(lifetime - 300, lifetime / 2)
        )
    }
}
