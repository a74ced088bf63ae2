import Foundation

/// Webhook request signing: `X-Pusher-Signature` is the hex HMAC-SHA256 of the raw body.
public struct WebhookSigner: Sendable {
    private let signer: HMACSigner

    public init(secret: String) {
        self.signer = HMACSigner(secret: secret)
    }

    /// The `X-Pusher-Signature` value for `body`.
    public func signature(for body: [UInt8]) -> String {
        signer.signature(for: body)
    }
}
