import ChorusProtocol
import ChorusPush

/// What an FCM HTTP v1 answer means for the device and the notification.
package enum FCMClassifier {
    /// 200 delivered; 404, `NOT_FOUND` or an `UNREGISTERED` error code: the device is gone;
    /// 401: the access token is dropped and the attempt retried; 429 and 5xx: retry (honouring
    /// `Retry-After`); any other 4xx (400 `INVALID_ARGUMENT`, 403 `SENDER_ID_MISMATCH`): rejected.
    package static func classify(_ response: ProviderResponse, now: Double) -> ProviderVerdict {
        let error = (try? JSONValue(parsing: response.body))?["error"]
        let status = error?["status"]?.stringValue
        let errorCode = error?["details"]?.arrayValue?.lazy.compactMap { $0["errorCode"]?.stringValue }.first
        let described = [String(response.status), errorCode ?? status].compactMap { $0 }.joined(separator: " ")
        if response.status == 200 { return ProviderVerdict(.delivered) }
        if response.status == 404 || errorCode == "UNREGISTERED" || status == "NOT_FOUND" {
            return ProviderVerdict(.deviceGone(reason: described))
        }
        if response.status == 401 {
            return ProviderVerdict(.retry(reason: described, retryAfter: nil), dropsToken: true)
        }
        if response.isTransient { return .retry(response, reason: described, now: now) }
        let message = error?["message"]?.stringValue.map { ": \($0)" } ?? ""
        return ProviderVerdict(.rejected(.providerRejected, described + message))
    }
}
