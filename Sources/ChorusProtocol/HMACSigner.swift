import Crypto
import Foundation

/// HMAC-SHA256 over text, rendered as lowercase hex, as every Pusher signature is.
public struct HMACSigner: Sendable {
    // SymmetricKey is not Sendable in this swift-crypto; the secret's bytes are.
    private let secret: [UInt8]

    public init(secret: String) {
        self.secret = Array(secret.utf8)
    }

    private var key: SymmetricKey { SymmetricKey(data: secret) }

    /// The lowercase hex HMAC-SHA256 of `message`.
    public func signature(for message: String) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: key))
    }

    /// The lowercase hex HMAC-SHA256 of raw bytes (webhook bodies are signed as sent).
    public func signature(for bytes: [UInt8]) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: bytes, using: key))
    }

    /// Whether `hexSignature` is the signature of `message`, compared in constant time.
    public func isValid(_ hexSignature: String, for message: String) -> Bool {
        guard let provided = Hex.decode(hexSignature) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(provided, authenticating: Array(message.utf8), using: key)
    }
}

/// Lowercase hex encoding and decoding of digests.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lowercase hex of a byte sequence.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of a hex string (either case); `nil` if it is not hex of even length.
    public static func decode(_ hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension Hex {
    /// Lowercase hex MD5 of `bytes`, as `body_md5` carries it.
    public static func md5(_ bytes: [UInt8]) -> String {
        encode(Insecure.MD5.hash(data: bytes))
    }
}
