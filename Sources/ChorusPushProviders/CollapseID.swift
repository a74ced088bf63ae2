import Crypto

/// A notification's collapse id in the form each service accepts.
package enum CollapseID {
    /// `apns-collapse-id`: at most 64 bytes; a longer id becomes its SHA-256 in hex (64 bytes).
    package static func apns(_ id: String) -> String {
        id.utf8.count <= 64 ? id : SHA256.hash(data: Array(id.utf8)).map { hex($0) }.joined()
    }

    /// Web Push `Topic` (RFC 8030 §5.4, at most 32 base64url characters): the base64url of the
    /// first 24 bytes of the id's SHA-256, always 32 characters that decode to 24 bytes.
    package static func webPushTopic(_ id: String) -> String {
        Base64URL.encode(Array(SHA256.hash(data: Array(id.utf8))).prefix(24))
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
