import ChorusPush
import Foundation

/// What a push service's answer (RFC 8030 §5) means for the subscription and the message.
package enum WebPushClassifier {
    /// 200, 201, 202 delivered; 404 and 410: the subscription is gone; 401 and 403: the VAPID
    /// JWT is dropped and the attempt retried with a fresh one; 429 and 5xx: retry (honouring
    /// `Retry-After`); any other 4xx (400, 413): rejected.
    package static func classify(_ response: ProviderResponse, now: Double) -> ProviderVerdict {
        let excerpt = String(decoding: response.body.prefix(200), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let described = excerpt.isEmpty ? "\(response.status)" : "\(response.status) \(excerpt)"
        switch response.status {
        case 200, 201, 202: return ProviderVerdict(.delivered)
        case 404, 410: return ProviderVerdict(.deviceGone(reason: described))
        case 401, 403: return ProviderVerdict(.retry(reason: described, retryAfter: nil), dropsToken: true)
        case _ where response.isTransient: return .retry(response, reason: described, now: now)
        default: return ProviderVerdict(.rejected(.providerRejected, described))
        }
    }
}
