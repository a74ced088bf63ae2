import ChorusProtocol
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import _CryptoExtras

/// What the fake FCM checks and answers: the OAuth token endpoint (`POST /token`, an RS256
/// service-account assertion for an access token) and `POST /v1/projects/{project}/messages:send`
/// (that access token, the message's shape, then the test's script).
final class FCMEndpoint: Sendable {
    /// A service account registered with the fake, by `client_email`.
    struct ServiceAccount: Sendable {
        var projectID: String
        var publicKey: _RSA.Signing.PublicKey
    }

    /// An access token the fake issued.
    struct AccessToken: Sendable {
        var clientEmail: String
        var projectID: String
        var expiresAt: Date
    }

    static let accessTokenLifetime: TimeInterval = 3600
    /// What `message` may hold (FCM refuses unknown fields).
    static let messageFields: Set<String> = [
        "name", "data", "notification", "android", "webpush", "apns", "fcm_options", "token", "topic", "condition",
    ]

    let ledger = FakeLedger()
    /// `{baseURL}/token`, the `aud` an assertion must carry; set once the port is known.
    let tokenURL = NIOLockedValueBox("")
    let serviceAccounts = NIOLockedValueBox([String: ServiceAccount]())
    let accessTokens = NIOLockedValueBox([String: AccessToken]())

    func respond(to request: FakeHTTPRequest) -> FakeHTTPResponse? {
        guard request.method == .POST else {
            return FCMError.response(.methodNotAllowed, "METHOD_NOT_ALLOWED", message: "Method not allowed.")
        }
        if request.path == "/token" { return issueAccessToken(request) }
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "v1", parts[2] == "projects", parts[4] == "messages:send"
        else { return FCMError.response(.notFound, "NOT_FOUND", message: "Not found: \(request.path)") }
        return send(request, project: String(parts[3]))
    }

    private func send(_ request: FakeHTTPRequest, project: String) -> FakeHTTPResponse? {
        let body = try? JSONValue(parsing: request.body.readableBytesView)
        let message = body?["message"]
        let token = message?["token"]?.stringValue
        if let token { ledger.countAttempt(for: token) }

        guard let accessToken = bearer(request.header("authorization")) else { return FCMError.unauthenticated }
        guard accessToken.projectID == project else {
            return FCMError.response(
                .forbidden,
                "PERMISSION_DENIED",
                message: "Permission 'cloudmessaging.messages.create' denied on resource "
                    + "'//cloudresourcemanager.googleapis.com/projects/\(project)' (or it may not exist)."
            )
        }
        if let problem = Self.problem(body: body) { return FCMError.invalidArgument(problem) }
        guard let token, !token.isEmpty, let message else {
            return FCMError.invalidArgument("Recipient of the message is not set.")
        }

        let answer = ledger.answer(for: token)
        switch answer {
        case .accept:
            ledger.record(
                ReceivedNotification(
                    target: token,
                    headers: [:],
                    payload: message,
                    body: Array(request.body.readableBytesView)
                )
            )
            let name = "projects/\(project)/messages/\(UInt64.random(in: 1...UInt64.max))"
            return .json(.ok, ["name": .string(name)])
        case .hang:
            return nil
        default:
            return FCMError.scripted(answer)
        }
    }

    /// The access token an `Authorization: Bearer …` header names, if the fake issued it and it
    /// has not expired.
    private func bearer(_ authorization: String?) -> AccessToken? {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return nil }
        let token = String(authorization.dropFirst("bearer ".count))
        guard let issued = accessTokens.withLockedValue({ $0[token] }), issued.expiresAt > Date() else { return nil }
        return issued
    }

    /// What is wrong with a send request's body, as FCM words it.
    private static func problem(body: JSONValue?) -> String? {
        guard let body, let members = body.objectValue else { return "Invalid JSON payload received." }
        if let unknown = members.keys.first(where: { $0 != "message" && $0 != "validate_only" }) {
            return "Invalid JSON payload received. Unknown name \"\(unknown)\": Cannot find field."
        }
        guard let message = body["message"]?.objectValue else { return "Invalid JSON payload received." }
        if let unknown = message.keys.first(where: { !messageFields.contains($0) }) {
            return "Invalid JSON payload received. Unknown name \"\(unknown)\" at 'message': Cannot find field."
        }
        if let data = message["data"] {
            guard let values = data.objectValue else { return "Invalid value at 'message.data'." }
            if let (key, _) = values.first(where: { $0.value.stringValue == nil }) {
                return "Invalid value at 'message.data[\(key)].value' (TYPE_STRING)."
            }
        }
        return nil
    }
}
