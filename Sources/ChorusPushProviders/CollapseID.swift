import Crypto

/// A notification's collapse id in the form each service accepts.
package enum CollapseID {
    /// `apns-collapse-id`: at most 64 bytes; a longer id becomes its SHA-256 in hex (64 bytes).
    package static func apns(_ id: String) -> String {
        id.utf8.count <= 64 ? id : SHA256.hash(data: Array(id.utf8)).map { hex($0) }.joined()
    }

    /// Web Push `Topic` (RFC 8030 §5.4): at most 32 base64url characters; another id becomes
    /// the base64url of the first 24 bytes of its SHA-256 (32 characters).
    package static func webPushTopic(_ id: String) -> String {
        let fits = !id.isEmpty && id.utf8.count <= 32 && id.utf8.allSatisfy(isBase64URL)
        return fits ? id : Base64URL.encode(Array(SHA256.hash(data: Array(id.utf8))).prefix(24))
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
