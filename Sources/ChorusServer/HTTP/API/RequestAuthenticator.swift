import ChorusProtocol
import Foundation
package import NIOHTTP1

/// Decides which app a signed API request speaks for, or why it speaks for none.
///
/// Three credentials are accepted:
/// - Pusher query signing (the default, what every server SDK sends): `auth_key`, `auth_timestamp`
///   (at most ``maximumClockSkewSeconds`` from now), `auth_version=1.0`, `body_md5` (required for a
///   non-empty body; on an empty body it may be absent or the empty-body MD5) and `auth_signature`,
///   the HMAC-SHA256 of `METHOD\nPATH\nsorted lowercase query`. Each may appear only once.
/// - `X-Relay-Key` and `X-Relay-Secret` headers naming the app's key and secret.
/// - `Authorization: Bearer <secret>` for the app named in the path.
///
/// The header styles send the secret itself and have no replay protection; they exist for backends
/// that cannot sign. Query signing is tried first whenever `auth_signature` or `auth_key` is present.
package struct RequestAuthenticator: Sendable {
    package static let maximumClockSkewSeconds = 600
    /// The query parameters of a signed request, each of which may appear once (names compared lowercased).
    package static let signingParameters: Set = [
        "auth_key", "auth_timestamp", "auth_version", "body_md5", "auth_signature",
    ]

    package let apps: AppRegistry

    package init(apps: AppRegistry) {
        self.apps = apps
    }

    /// The request's credentials as received.
    package struct Credentials {
        package var method: String
        /// The path exactly as sent (what was signed).
        package var path: String
        package var query: [(String, String)]
        package var headers: HTTPHeaders
        package var body: [UInt8]

        package init(method: String, path: String, query: [(String, String)], headers: HTTPHeaders, body: [UInt8]) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
        }
    }

    /// The app `credentials` authenticate; `pathAppID` is the app the path names, if it names one.
    package func authenticate(
        _ credentials: Credentials,
        pathAppID: String?,
        now: Int
    ) throws(APIError) -> AppConfiguration {
        let names = Set(credentials.query.map { $0.0.lowercased() })
        if names.contains("auth_signature") || names.contains("auth_key") {
            return try verifySignedQuery(credentials, pathAppID: pathAppID, now: now)
        }
        if let key = credentials.headers.first(name: "X-Relay-Key") {
            let secret = credentials.headers.first(name: "X-Relay-Secret") ?? ""
            let app = try app(key: key, pathAppID: pathAppID)
            guard Self.constantTimeEquals(secret, app.secret) else {
                throw .unauthorized("X-Relay-Secret is not the secret of key \(key)", code: "invalid_secret")
            }
            return app
        }
        if let authorization = credentials.headers.first(name: "Authorization"),
            authorization.lowercased().hasPrefix("bearer ")
        {
            let token = String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
            guard let pathAppID, let app = apps.app(id: pathAppID) else {
                throw .unauthorized("A bearer token needs a path that names the app", code: "missing_credentials")
            }
            guard Self.constantTimeEquals(token, app.secret) else {
                throw .unauthorized("The bearer token is not this app's secret", code: "invalid_token")
            }
            return app
        }
        throw .unauthorized(
            "Missing credentials: sign the request (auth_key, auth_timestamp, auth_version, body_md5, auth_signature)",
            code: "missing_credentials"
        )
    }

    private func verifySignedQuery(
        _ credentials: Credentials,
        pathAppID: String?,
        now: Int
    ) throws(APIError) -> AppConfiguration {
        var parameters: [String: String] = [:]
        for (name, value) in credentials.query {
            let name = name.lowercased()
            // Which copy the checks read and which the signature covers must never differ.
            if Self.signingParameters.contains(name), parameters[name] != nil {
                throw .unauthorized("\(name) is given more than once", code: "duplicate_auth_parameter")
            }
            parameters[name] = value
        }
        guard let key = parameters["auth_key"], let signature = parameters["auth_signature"] else {
            throw .unauthorized("Signed requests need both auth_key and auth_signature", code: "missing_credentials")
        }
        let app = try app(key: key, pathAppID: pathAppID)
        guard parameters["auth_version"] == RequestSigner.authVersion else {
            throw .unauthorized("auth_version must be \(RequestSigner.authVersion)", code: "invalid_auth_version")
        }
        guard let timestamp = parameters["auth_timestamp"].flatMap(Int.init) else {
            throw .unauthorized("auth_timestamp must be a Unix time in seconds", code: "invalid_timestamp")
        }
        guard abs(now - timestamp) <= Self.maximumClockSkewSeconds else {
            throw .unauthorized(
                "auth_timestamp \(timestamp) is more than \(Self.maximumClockSkewSeconds) s from server time \(now)",
                code: "expired_timestamp"
            )
        }
        let md5 = Hex.md5(credentials.body)
        switch parameters["body_md5"] {
        case nil where !credentials.body.isEmpty:
            throw .unauthorized("body_md5 is required for a request with a body", code: "missing_body_md5")
        case let provided? where provided.lowercased() != md5:
            throw .unauthorized("body_md5 does not match the request body", code: "body_md5_mismatch")
        default:
            break
        }
        let signer = RequestSigner(key: app.key, secret: app.secret)
        guard signer.isValid(signature, method: credentials.method, path: credentials.path, query: credentials.query)
        else {
            throw .unauthorized("Invalid signature: check the secret and the string to sign", code: "invalid_signature")
        }
        return app
    }

    /// The app of `key`, which must be the app the path names.
    private func app(key: String, pathAppID: String?) throws(APIError) -> AppConfiguration {
        guard let app = apps.app(key: key) else {
            throw .unauthorized("Unknown app key \(key)", code: "unknown_key")
        }
        if let pathAppID, pathAppID != app.id {
            throw .unauthorized("Key \(key) does not belong to app \(pathAppID)", code: "app_mismatch")
        }
        return app
    }

    /// Compares two secrets without stopping at the first difference.
    package static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0
    }
}
