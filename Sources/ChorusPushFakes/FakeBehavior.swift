/// How a fake answers requests for one device token or subscription, scripted by a test.
package enum FakeBehavior: Sendable, Hashable {
    /// Accept and record (the default).
    case accept
    /// The device is gone: APNs 410 `Unregistered`, FCM 404 `UNREGISTERED`, Web Push 410.
    case gone
    /// The token is malformed: APNs 400 `BadDeviceToken`, FCM 400 `INVALID_ARGUMENT`, Web Push 404.
    case badDeviceToken
    /// 429 with `Retry-After: retryAfterSeconds` for the next `times` requests, then accept.
    case rateLimited(retryAfterSeconds: Int, times: Int)
    /// 500 for the next `times` requests, then accept (`Int.max`: always).
    case serverError(times: Int)
    /// Never answer, to provoke a client timeout.
    case hang
}

/// What a fake does with one verified request, decided by the test's script.
enum FakeAnswer: Sendable, Hashable {
    case accept
    case gone
    case badDeviceToken
    case rateLimited(retryAfterSeconds: Int)
    case serverError
    case hang
}

extension FakeBehavior {
    /// The answer to the next request and the behaviour left for the ones after it.
    func next() -> (answer: FakeAnswer, rest: FakeBehavior) {
        switch self {
        case .accept: (.accept, .accept)
        case .gone: (.gone, .gone)
        case .badDeviceToken: (.badDeviceToken, .badDeviceToken)
        case .hang: (.hang, .hang)
        case .rateLimited(_, let times) where times <= 0, .serverError(let times) where times <= 0:
            (.accept, .accept)
        case .rateLimited(let seconds, let times):
            (.rateLimited(retryAfterSeconds: seconds), .rateLimited(retryAfterSeconds: seconds, times: times - 1))
        case .serverError(let times):
            (.serverError, .serverError(times: times == .max ? .max : times - 1))
        }
    }
}
