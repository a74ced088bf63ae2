package import ChorusPush

/// The stable `code` of a ``DeliveryAttempt/rejected(code:reason:)`` made by the providers.
package enum ProviderErrorCode: String, Sendable {
    /// The service refused the notification for good (a 4xx other than device-gone).
    case providerRejected = "provider_rejected"
    /// The app's credential is unusable: a key that does not parse, a token endpoint that refuses it.
    case invalidCredential = "invalid_credential"
    /// The device's token does not fit the platform (a Web Push subscription with bad keys).
    case invalidToken = "invalid_token"
    /// The encrypted Web Push payload would not fit one 4096-byte record.
    case payloadTooLarge = "payload_too_large"
}

extension DeliveryAttempt {
    /// A rejection with one of the providers' codes.
    package static func rejected(_ code: ProviderErrorCode, _ reason: String) -> DeliveryAttempt {
        .rejected(code: code.rawValue, reason: reason)
    }
}
