package import ChorusPush
package import Logging

extension Logger {
    /// Records one attempt's outcome: ids and the provider's words, never a token or a key.
    package func attempt(_ attempt: DeliveryAttempt, platform: PushPlatform, publishID: String) {
        var metadata: Logger.Metadata = ["platform": "\(platform.rawValue)", "publish_id": "\(publishID)"]
        switch attempt {
        case .delivered:
            trace("push delivered", metadata: metadata)
        case .deviceGone(let reason):
            metadata["reason"] = "\(reason)"
            debug("push device gone", metadata: metadata)
        case .retry(let reason, _):
            metadata["reason"] = "\(reason)"
            debug("push to retry", metadata: metadata)
        case .rejected(let code, let reason):
            metadata["code"] = "\(code)"
            metadata["reason"] = "\(reason)"
            info("push rejected", metadata: metadata)
        }
    }
}
