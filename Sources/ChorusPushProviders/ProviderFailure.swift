package import ChorusPush

/// Why a provider could not even make its request (a credential that does not parse, a token
/// endpoint that refused or failed), as the attempt it amounts to.
package struct ProviderFailure: Error, Sendable {
    /// What the caller reports for the attempt.
    package var attempt: DeliveryAttempt

    package init(_ attempt: DeliveryAttempt) {
        self.attempt = attempt
    }
}
