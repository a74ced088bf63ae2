package import ChorusPush

/// One HTTP request to a notification service, built by a pure function so tests can read it.
package struct ProviderRequest: Sendable {
    package var url: String
    /// Header names in lower case, in the order sent.
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    package init(url: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of the header `name` (lower case), if sent.
    package func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }
}

/// A notification service's answer, as the classifiers read it.
package struct ProviderResponse: Sendable, Hashable {
    package var status: Int
    /// The `Retry-After` header, as sent.
    package var retryAfter: String?
    package var body: [UInt8]

    package init(status: Int, retryAfter: String? = nil, body: [UInt8] = []) {
        self.status = status
        self.retryAfter = retryAfter
        self.body = body
    }

    /// Whether the service asks to come back later (429 or 5xx).
    package var isTransient: Bool { status == 429 || (500...599).contains(status) }
}

/// What a provider makes of an answer: the attempt's outcome, and whether the token it sent
/// (provider JWT, access token, VAPID JWT) was refused and must not be sent again.
package struct ProviderVerdict: Sendable, Hashable {
    package var attempt: DeliveryAttempt
    /// The service refused the token sent: the provider forgets it, so the next attempt signs
    /// or fetches a fresh one.
    package var dropsToken: Bool

    package init(_ attempt: DeliveryAttempt, dropsToken: Bool = false) {
        self.attempt = attempt
        self.dropsToken = dropsToken
    }

    /// A retry of `response` not before its `Retry-After`, if it gave one.
    package static func retry(_ response: ProviderResponse, reason: String, now: Double) -> ProviderVerdict {
        ProviderVerdict(.retry(reason: reason, retryAfter: RetryAfter.seconds(response.retryAfter, now: now)))
    }
}
