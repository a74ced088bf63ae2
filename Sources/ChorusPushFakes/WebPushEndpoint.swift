import ChorusProtocol
import Crypto
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// What the fake Web Push service checks and answers for `POST /push/{id}` (RFC 8030): the VAPID
/// authorization (RFC 8292), `Content-Encoding: aes128gcm`, `TTL`, then it decrypts the body with
/// the subscription's keys (RFC 8291) and answers as the test scripted.
final class WebPushEndpoint: Sendable {
    /// What a verified VAPID token claims.
    private struct VAPIDClaims: Sendable {
        var audience: String
        var expiresAt: Int64
    }

    static let maximumBodyBytes = 4096
    static let urgencies: Set<String> = ["very-low", "low", "normal", "high"]

    let ledger = FakeLedger()
    /// `http://127.0.0.1:{port}`, the `aud` a VAPID token must carry; set once the port is known.
    let origin = NIOLockedValueBox("")
    let subscriptions = NIOLockedValueBox([String: WebPushDecryption]())
    /// Verified VAPID tokens by `t` and `k` together.
    private let vapidTokens = VerifiedTokenCache<VAPIDClaims>()

    func respond(to request: FakeHTTPRequest) -> FakeHTTPResponse? {
        let prefix = "/push/"
        guard request.path.hasPrefix(prefix) else { return FakeHTTPResponse(status: .notFound) }
        guard request.method == .POST else { return FakeHTTPResponse(status: .methodNotAllowed) }
        let id = String(request.path.dropFirst(prefix.count))
        ledger.countAttempt(for: id)
        guard let subscription = subscriptions.withLockedValue({ $0[id] }) else {
            return FakeHTTPResponse(status: .notFound)
        }
        if let refusal = refusal(of: request) { return refusal }
        guard let plaintext = try? subscription.decrypt(Data(request.body.readableBytesView)) else {
            return Self.text(.badRequest, "the body does not decrypt with the subscription's keys")
        }

        switch ledger.answer(for: id) {
        case .accept:
            ledger.record(
                ReceivedNotification(
                    target: id,
                    headers: Self.deliveryHeaders(of: request),
                    payload: try? JSONValue(parsing: plaintext),
                    body: Array(plaintext)
                )
            )
            return FakeHTTPResponse(status: .created, headers: ["location": "/message/\(UUID().uuidString)"])
        case .gone:
            return FakeHTTPResponse(status: .gone)
        case .badDeviceToken:
            return FakeHTTPResponse(status: .notFound)
        case .rateLimited(let seconds):
            return FakeHTTPResponse(status: .tooManyRequests, headers: ["retry-after": String(seconds)])
        case .serverError:
            return FakeHTTPResponse(status: .internalServerError)
        case .hang:
            return nil
        }
    }

    /// The first thing wrong with the request's authorization, headers or size.
    private func refusal(of request: FakeHTTPRequest) -> FakeHTTPResponse? {
        if let problem = vapidProblem(request.header("authorization")) { return Self.text(.unauthorized, problem) }
        guard request.header("content-encoding")?.lowercased() == "aes128gcm" else {
            return Self.text(.unsupportedMediaType, "Content-Encoding must be aes128gcm")
        }
        guard let ttl = request.header("ttl"), let seconds = Int(ttl), seconds >= 0 else {
            return Self.text(.badRequest, "a TTL header is required")
        }
        if let urgency = request.header("urgency"), !Self.urgencies.contains(urgency) {
            return Self.text(.badRequest, "bad Urgency")
        }
        if let topic = request.header("topic"), !Self.isValidTopic(topic) {
            return Self.text(.badRequest, "bad Topic")
        }
        guard request.body.readableBytes <= Self.maximumBodyBytes else {
            return FakeHTTPResponse(status: .payloadTooLarge)
        }
        return nil
    }

    /// What is wrong with `Authorization: vapid t=…, k=…`, `nil` when it is valid now.
    private func vapidProblem(_ authorization: String?) -> String? {
        guard let authorization, authorization.lowercased().hasPrefix("vapid ") else {
            return "Authorization: vapid t=…, k=… is required"
        }
        var parameters: [String: String] = [:]
        for parameter in authorization.dropFirst("vapid ".count).split(separator: ",") {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            parameters[pair[0].trimmingCharacters(in: .whitespaces)] = pair[1].trimmingCharacters(in: .whitespaces)
        }
        guard let token = parameters["t"], let key = parameters["k"] else { return "vapid needs t and k" }
        let claims = vapidTokens.value(for: token + " " + key) {
            guard let keyBytes = Base64URL.decode(key),
                let publicKey = try? P256.Signing.PublicKey(x963Representation: keyBytes),
                let jws = CompactJWS(token), jws.isSigned(by: publicKey),
                let audience = jws.claims["aud"]?.stringValue, let expiresAt = jws.seconds("exp"),
                jws.claims["sub"]?.stringValue?.isEmpty == false
            else { return nil }
            return VAPIDClaims(audience: audience, expiresAt: expiresAt)
        }
        guard let claims else { return "the VAPID token is not signed by k or lacks aud, exp or sub" }
        guard claims.audience == origin.withLockedValue({ $0 }) else { return "the VAPID aud is not this origin" }
        let now = Int64(Date().timeIntervalSince1970)
        guard claims.expiresAt > now, claims.expiresAt <= now + 86400 else {
            return "the VAPID exp is past or more than 24 hours ahead"
        }
        return nil
    }

    /// RFC 8030 §5.4: at most 32 characters of the base64url alphabet.
    private static func isValidTopic(_ topic: String) -> Bool {
        !topic.isEmpty && topic.utf8.count <= 32
            && topic.utf8.allSatisfy {
                switch $0 {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                    true
                default: false
                }
            }
    }

    private static func deliveryHeaders(of request: FakeHTTPRequest) -> [String: String] {
        var headers: [String: String] = [:]
        for name in ["ttl", "urgency", "topic", "content-encoding"] { headers[name] = request.header(name) }
        return headers
    }

    private static func text(_ status: HTTPResponseStatus, _ message: String) -> FakeHTTPResponse {
        FakeHTTPResponse(status: status, headers: ["content-type": "text/plain"], body: Array(message.utf8))
    }
}
