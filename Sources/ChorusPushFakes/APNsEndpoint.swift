import ChorusProtocol
import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// What the fake APNs checks and answers for `POST /3/device/{token}`, as Apple documents it:
/// the ES256 provider token, the `apns-*` headers, the payload, then the test's script.
final class APNsEndpoint: Sendable {
    /// A signing key registered with the fake, by key id.
    private struct SigningKey: Sendable {
        var teamID: String
        /// The public key, uncompressed point (swift-crypto's P-256 keys are not `Sendable`).
        var publicKey: Data
    }

    static let pushTypes: Set<String> = [
        "alert", "background", "location", "voip", "complication", "fileprovider", "mdm", "liveactivity",
        "pushtotalk", "widgets", "controls",
    ]
    static let maximumPayloadBytes = 4096

    let ledger = FakeLedger()
    private let keys = NIOLockedValueBox([String: SigningKey]())
    /// Verified provider tokens: their `iat`.
    private let providerTokens = VerifiedTokenCache<Int64>()

    func register(teamID: String, keyID: String, publicKey: P256.Signing.PublicKey) {
        keys.withLockedValue { $0[keyID] = SigningKey(teamID: teamID, publicKey: publicKey.x963Representation) }
    }

    func respond(to request: FakeHTTPRequest) -> FakeHTTPResponse? {
        let apnsID = request.header("apns-id") ?? UUID().uuidString.lowercased()
        let prefix = "/3/device/"
        let path = request.path
        guard path.hasPrefix(prefix), path.count > prefix.count else {
            return Self.error(.notFound, "BadPath", apnsID: apnsID)
        }
        guard request.method == .POST else { return Self.error(.methodNotAllowed, "MethodNotAllowed", apnsID: apnsID) }
        let token = String(path.dropFirst(prefix.count))
        ledger.countAttempt(for: token)
        if let refusal = refusal(of: request, apnsID: apnsID) { return refusal }
        guard let payload = try? JSONValue(parsing: request.body.readableBytesView), payload["aps"]?.objectValue != nil
        else { return Self.error(.badRequest, "BadPayload", apnsID: apnsID) }

        switch ledger.answer(for: token) {
        case .accept:
            ledger.record(
                ReceivedNotification(
                    target: token,
                    headers: Self.deliveryHeaders(of: request),
                    payload: payload,
                    body: Array(request.body.readableBytesView)
                )
            )
            return FakeHTTPResponse(status: .ok, headers: ["apns-id": apnsID])
        case .gone:
            let body: JSONValue = ["reason": "Unregistered", "timestamp": .integer(Self.nowMs())]
            return .json(.gone, body, headers: ["apns-id": apnsID])
        case .badDeviceToken:
            return Self.error(.badRequest, "BadDeviceToken", apnsID: apnsID)
        case .rateLimited(let seconds):
            return Self.error(.tooManyRequests, "TooManyRequests", apnsID: apnsID, retryAfter: seconds)
        case .serverError:
            return Self.error(.internalServerError, "InternalServerError", apnsID: apnsID)
        case .hang:
            return nil
        }
    }

    /// The first thing wrong with the request's provider token, headers or body size.
    private func refusal(of request: FakeHTTPRequest, apnsID: String) -> FakeHTTPResponse? {
        if let reason = providerTokenProblem(request.header("authorization")) {
            return Self.error(.forbidden, reason, apnsID: apnsID)
        }
        guard let topic = request.header("apns-topic"), !topic.isEmpty else {
            return Self.error(.badRequest, "MissingTopic", apnsID: apnsID)
        }
        guard let pushType = request.header("apns-push-type"), Self.pushTypes.contains(pushType) else {
            return Self.error(.badRequest, "InvalidPushType", apnsID: apnsID)
        }
        if let priority = request.header("apns-priority"), !["10", "5", "1"].contains(priority) {
            return Self.error(.badRequest, "BadPriority", apnsID: apnsID)
        }
        if let expiration = request.header("apns-expiration"), Int64(expiration) == nil {
            return Self.error(.badRequest, "BadExpirationDate", apnsID: apnsID)
        }
        if let collapseID = request.header("apns-collapse-id"), collapseID.utf8.count > 64 {
            return Self.error(.badRequest, "BadCollapseId", apnsID: apnsID)
        }
        if let id = request.header("apns-id"), UUID(uuidString: id) == nil {
            return Self.error(.badRequest, "BadMessageId", apnsID: apnsID)
        }
        guard request.body.readableBytes > 0 else { return Self.error(.badRequest, "PayloadEmpty", apnsID: apnsID) }
        guard request.body.readableBytes <= Self.maximumPayloadBytes else {
            return Self.error(.payloadTooLarge, "PayloadTooLarge", apnsID: apnsID)
        }
        return nil
    }

    /// The APNs reason refusing `authorization`, `nil` when it is a valid, current provider token.
    private func providerTokenProblem(_ authorization: String?) -> String? {
        guard let authorization else { return "MissingProviderToken" }
        guard authorization.lowercased().hasPrefix("bearer ") else { return "InvalidProviderToken" }
        let text = String(authorization.dropFirst("bearer ".count))
        let issuedAt = providerTokens.value(for: text) {
            guard let jws = CompactJWS(text), let keyID = jws.header["kid"]?.stringValue,
                let key = keys.withLockedValue({ $0[keyID] }),
                jws.claims["iss"]?.stringValue == key.teamID,
                let issuedAt = jws.seconds("iat"),
                let publicKey = try? P256.Signing.PublicKey(x963Representation: key.publicKey),
                jws.isSigned(by: publicKey)
            else { return nil }
            return issuedAt
        }
        guard let issuedAt else { return "InvalidProviderToken" }
        let now = Int64(Date().timeIntervalSince1970)
        // A token from the future is not one APNs accepts either; allow a little clock skew.
        guard issuedAt <= now + 60 else { return "InvalidProviderToken" }
        guard now - issuedAt < 3600 else { return "ExpiredProviderToken" }
        return nil
    }

    private static func deliveryHeaders(of request: FakeHTTPRequest) -> [String: String] {
        var headers: [String: String] = [:]
        for name in ["apns-topic", "apns-push-type", "apns-priority", "apns-expiration", "apns-collapse-id", "apns-id"]
        {
            headers[name] = request.header(name)
        }
        return headers
    }

    private static func error(
        _ status: HTTPResponseStatus,
        _ reason: String,
        apnsID: String,
        retryAfter: Int? = nil
    ) -> FakeHTTPResponse {
        var headers: HTTPHeaders = ["apns-id": apnsID]
        if let retryAfter { headers.add(name: "retry-after", value: String(retryAfter)) }
        return .json(status, ["reason": .string(reason)], headers: headers)
    }

    private static func nowMs() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
