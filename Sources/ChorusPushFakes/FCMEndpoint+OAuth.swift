import ChorusProtocol
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

extension FCMEndpoint {
    static let jwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer"
    static let messagingScopes: Set<String> = [
        "https://www.googleapis.com/auth/firebase.messaging", "https://www.googleapis.com/auth/cloud-platform",
    ]

    /// `POST /token`: an access token for a valid service-account assertion, Google's OAuth error
    /// otherwise.
    func issueAccessToken(_ request: FakeHTTPRequest) -> FakeHTTPResponse {
        let form = Self.form(String(decoding: request.body.readableBytesView, as: UTF8.self))
        guard form["grant_type"] == Self.jwtBearerGrant else {
            return Self.oauthError("unsupported_grant_type", "Invalid grant_type: \(form["grant_type"] ?? "")")
        }
        guard let assertion = form["assertion"], let jws = CompactJWS(assertion) else {
            return Self.oauthError("invalid_request", "Invalid JWT: malformed assertion.")
        }
        guard let clientEmail = jws.claims["iss"]?.stringValue,
            let account = serviceAccounts.withLockedValue({ $0[clientEmail] })
        else { return Self.oauthError("invalid_grant", "Invalid email or User ID") }
        guard jws.isSigned(by: account.publicKey) else {
            return Self.oauthError("invalid_grant", "Invalid JWT Signature.")
        }
        guard jws.claims["aud"]?.stringValue == tokenURL.withLockedValue({ $0 }) else {
            return Self.oauthError("invalid_grant", "Invalid JWT: Failed audience check.")
        }
        let scopes = Set((jws.claims["scope"]?.stringValue ?? "").split(separator: " ").map(String.init))
        guard !scopes.isDisjoint(with: Self.messagingScopes) else {
            return Self.oauthError("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
        }
        let now = Int64(Date().timeIntervalSince1970)
        guard let issuedAt = jws.seconds("iat"), let expiresAt = jws.seconds("exp"),
            issuedAt <= now + 60, expiresAt > now, expiresAt > issuedAt, expiresAt - issuedAt <= 3600
        else {
            return Self.oauthError(
                "invalid_grant",
                "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                    + "Check your iat and exp values in the JWT claim."
            )
        }

        let token = "ya29.fake-" + UUID().uuidString.lowercased()
        let issued = AccessToken(
            clientEmail: clientEmail,
            projectID: account.projectID,
            expiresAt: Date().addingTimeInterval(Self.accessTokenLifetime)
        )
        accessTokens.withLockedValue { $0[token] = issued }
        return .json(
            .ok,
            [
                "access_token": .string(token), "expires_in": .integer(Int64(Self.accessTokenLifetime)),
                "token_type": "Bearer",
            ]
        )
    }

    private static func oauthError(_ error: String, _ description: String) -> FakeHTTPResponse {
        .json(.badRequest, ["error": .string(error), "error_description": .string(description)])
    }

    /// An `application/x-www-form-urlencoded` body's fields.
    private static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring) -> String? {
                part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
            guard let name = decoded(parts[0]), let value = decoded(parts.count == 2 ? parts[1] : "") else { continue }
            fields[name] = value
        }
        return fields
    }
}
