import ChorusProtocol
import Foundation

/// The known-answer vectors in `Sources/ChorusConformance/Cases/signature-vectors.json`, shared with the
/// conformance suite.
struct SignatureVectors: Decodable {
    struct ChannelAuth: Decodable {
        struct Case: Decodable {
            var string_to_sign: String
            var signature: String
        }
        var key: String
        var secret: String
        var socket_id: String
        var cases: [Case]
    }

    struct RESTSigning: Decodable {
        var key: String
        var secret: String
        var body: String
        var body_md5: String
        var string_to_sign: String
        var auth_signature: String
    }

    struct Webhook: Decodable {
        var secret: String
        var body: String
        var x_pusher_signature: String
    }

    var channel_auth: ChannelAuth
    var rest_signing: RESTSigning
    var webhook: Webhook

    static func load() throws -> SignatureVectors {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/ChorusConformance/Cases/signature-vectors.json")
        return try JSONDecoder().decode(SignatureVectors.self, from: Data(contentsOf: url))
    }
}
