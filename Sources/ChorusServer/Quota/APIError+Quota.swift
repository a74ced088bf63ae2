import NIOHTTP1

extension APIError {
    /// The app's daily message quota is used up: 429 with `quota_exceeded` (the per-window rate
    /// limit answers `rate_limited`).
    static func quotaExceeded(_ refusal: MessageQuota.Refusal) -> APIError {
        APIError(
            status: .tooManyRequests,
            code: "quota_exceeded",
            message: "The app's daily message quota (max_messages_per_day = \(refusal.limit)) is used up; "
                + "nothing was published; it resets at 00:00 UTC, in \(refusal.secondsToReset) seconds"
        )
    }
}

extension MessageQuota.Refusal {
    /// The JSON 429, with `Retry-After` counting the seconds to 00:00 UTC.
    var response: HTTPResponse {
        var response = APIError.quotaExceeded(self).response
        response.headers.add(name: "Retry-After", value: String(secondsToReset))
        return response
    }
}
