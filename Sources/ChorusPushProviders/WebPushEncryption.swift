package import ChorusPush
package import Crypto

/// Message encryption for Web Push (RFC 8291) in the `aes128gcm` content coding (RFC 8188):
/// one record, its header carrying the salt and the sender's ephemeral public key.
package struct WebPushEncryption {
    package enum Failure: Error, Sendable {
        /// `p256dh` is not an uncompressed P-256 point or `auth` is not 16 bytes.
        case invalidSubscriptionKeys
        /// The plaintext is over ``WebPushEncryption/maxPlaintextBytes``.
        case payloadTooLarge
    }

    /// The record size written in the header.
    package static let recordSize: UInt32 = 4096
    /// The largest plaintext whose whole body (86-byte header, delimiter, 16-byte tag) stays
    /// within the 4096 bytes every push service must accept (RFC 8291 §4).
    package static let maxPlaintextBytes = 4096 - 86 - 1 - 16

    private let userAgentKey: P256.KeyAgreement.PublicKey
    private let userAgentKeyBytes: [UInt8]
    private let authSecret: [UInt8]

    /// Encryption for the user agent whose public key (65 bytes) and auth secret (16 bytes) are given.
    package init(userAgentPublicKey: [UInt8], authSecret: [UInt8]) throws {
        guard userAgentPublicKey.count == 65, authSecret.count == 16,
            let key = try? P256.KeyAgreement.PublicKey(x963Representation: userAgentPublicKey)
        else { throw Failure.invalidSubscriptionKeys }
        self.userAgentKey = key
        self.userAgentKeyBytes = userAgentPublicKey
        self.authSecret = authSecret
    }

    /// Encryption for a browser's subscription (base64url `p256dh` and `auth`).
    package init(subscription: WebPushSubscription) throws {
        guard let key = Base64URL.decode(subscription.p256dh), let auth = Base64URL.decode(subscription.auth) else {
            throw Failure.invalidSubscriptionKeys
        }
        try self.init(userAgentPublicKey: key, authSecret: auth)
    }

    /// The message body for `plaintext` with a fresh random salt and ephemeral key.
    package func seal(_ plaintext: [UInt8]) throws -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return try seal(plaintext, salt: salt, serverKey: P256.KeyAgreement.PrivateKey())
    }

    /// The message body for `plaintext` with the given 16-byte salt and sender key: what a test
    /// compares with RFC 8291 Appendix A.
    package func seal(_ plaintext: [UInt8], salt: [UInt8], serverKey: P256.KeyAgreement.PrivateKey) throws -> [UInt8] {
        guard plaintext.count <= Self.maxPlaintextBytes else { throw Failure.payloadTooLarge }
        let serverKeyBytes = Array(serverKey.publicKey.x963Representation)
        let sharedSecret = try serverKey.sharedSecretFromKeyAgreement(with: userAgentKey)
        // RFC 8291 §3.3-3.4: IKM from the ECDH secret keyed by the auth secret, then RFC 8188's
        // content-encryption key and nonce from IKM and the salt.
        let keyInfo = Array("WebPush: info".utf8) + [0] + userAgentKeyBytes + serverKeyBytes
        let inputKey = sharedSecret.hkdfDerivedSymmetricKey(
            using: SHA256.self,
            salt: authSecret,
            sharedInfo: keyInfo,
            outputByteCount: 32
        )
        let pseudoRandomKey = HKDF<SHA256>.extract(inputKeyMaterial: inputKey, salt: salt)
        let contentKey = HKDF<SHA256>.expand(
            pseudoRandomKey: pseudoRandomKey,
            info: Array("Content-Encoding: aes128gcm".utf8) + [0],
            outputByteCount: 16
        )
        let nonce = HKDF<SHA256>.expand(
            pseudoRandomKey: pseudoRandomKey,
            info: Array("Content-Encoding: nonce".utf8) + [0],
            outputByteCount: 12
        )
        // The last (and only) record ends with the delimiter 0x02 and no padding.
        let sealed = try AES.GCM.seal(
            plaintext + [2],
            using: contentKey,
            nonce: try AES.GCM.Nonce(data: nonce.withUnsafeBytes { Array($0) })
        )
        var body = salt
        body.reserveCapacity(86 + plaintext.count + 17)
        withUnsafeBytes(of: Self.recordSize.bigEndian) { body.append(contentsOf: $0) }
        body.append(UInt8(serverKeyBytes.count))
        body.append(contentsOf: serverKeyBytes)
        body.append(contentsOf: sealed.ciphertext)
        body.append(contentsOf: sealed.tag)
        return body
    }
}
