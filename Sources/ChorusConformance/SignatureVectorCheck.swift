import ChorusProtocol
import Foundation

/// Checks the signers the runner signs with against the known-answer vectors file, so a passing
/// suite cannot rest on a runner that signs wrongly.
enum SignatureVectorCheck {
    static func verify(fileAt url: URL) throws(StepFailure) {
        guard let data = try? Data(contentsOf: url), let vectors = try? JSONValue(parsing: Array(data)) else {
            throw StepFailure("cannot read vectors from \(url.path)")
        }
        guard let channelAuth = vectors["channel_auth"],
            let secret = channelAuth["secret"]?.stringValue, let cases = channelAuth["cases"]?.arrayValue,
            let rest = vectors["rest_signing"], let webhook = vectors["webhook"]
        else {
            throw StepFailure("\(url.lastPathComponent) lacks channel_auth, rest_signing or webhook")
        }
        let signer = HMACSigner(secret: secret)
        for testCase in cases {
            let message = testCase["string_to_sign"]?.stringValue ?? ""
            let expected = testCase["signature"]?.stringValue ?? ""
            let got = signer.signature(for: message)
            guard got == expected else {
                throw StepFailure("channel auth of \(message): expected \(expected), got \(got)")
            }
        }
        let body = Array((rest["body"]?.stringValue ?? "").utf8)
        let md5 = Hex.md5(body)
        guard md5 == rest["body_md5"]?.stringValue else {
            throw StepFailure("body_md5: expected \(rest["body_md5"]?.jsonText ?? "?"), got \(md5)")
        }
        let restSigner = HMACSigner(secret: rest["secret"]?.stringValue ?? "")
        let restSignature = restSigner.signature(for: rest["string_to_sign"]?.stringValue ?? "")
        guard restSignature == rest["auth_signature"]?.stringValue else {
            throw StepFailure(
                "auth_signature: expected \(rest["auth_signature"]?.jsonText ?? "?"), got \(restSignature)"
            )
        }
        let webhookSignature = WebhookSigner(secret: webhook["secret"]?.stringValue ?? "")
            .signature(for: Array((webhook["body"]?.stringValue ?? "").utf8))
        guard webhookSignature == webhook["x_pusher_signature"]?.stringValue else {
            throw StepFailure(
                "X-Pusher-Signature: expected \(webhook["x_pusher_signature"]?.jsonText ?? "?"), got \(webhookSignature)"
            )
        }
    }
}
