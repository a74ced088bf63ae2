import ChorusProtocol
import ChorusPush

/// What an APNs answer means for the device and the notification.
package enum APNsClassifier {
    /// 200 delivered; 410, or 400 `BadDeviceToken`, or `Unregistered`: the device is gone;
    /// 429 and 5xx: retry (honouring `Retry-After`); 403 `ExpiredProviderToken` or
    /// `InvalidProviderToken`: the provider JWT is dropped and the attempt retried with a fresh one
    /// (a key that stays refused runs out the dispatcher's retry budget); any other 4xx: rejected.
    package static func classify(_ response: ProviderResponse, now: Double) -> ProviderVerdict {
        let reason = (try? JSONValue(parsing: response.body))?["reason"]?.stringValue
        let described = reason.map { "\(response.status) \($0)" } ?? "\(response.status)"
        switch (response.status, reason ?? "") {
        case (200, _): return ProviderVerdict(.delivered)
        case (410, _), (400, "BadDeviceToken"), (_, "Unregistered"):
            return ProviderVerdict(.deviceGone(reason: described))
        case (403, "ExpiredProviderToken"), (403, "InvalidProviderToken"):
            return ProviderVerdict(.retry(reason: described, retryAfter: nil), dropsToken: true)
        case _ where response.isTransient:
            return .retry(response, reason: described, now: now)
        default:
            return ProviderVerdict(.rejected(.providerRejected, described))
        }
    }
}
