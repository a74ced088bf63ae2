import Crypto
import Foundation

/// Decrypts a Web Push message as the user agent does (RFC 8291 over RFC 8188 `aes128gcm`): one
/// record behind the `salt ‖ rs ‖ idlen ‖ keyid` header, `keyid` being the application server's
/// ephemeral P-256 public key.
///
/// `@unchecked Sendable`: it holds only immutable values; swift-crypto 3.12 does not yet mark its
/// P-256 keys `Sendable`, and rebuilding the key per message would double the cost of each one.
struct WebPushDecryption: @unchecked Sendable {
    enum Failure: Error {
        case malformedHeader
        case badKey
        case recordTooLarge
        case authentication
        case badPadding
    }

    /// The user agent's key pair.
    let privateKey: P256.KeyAgreement.PrivateKey
    /// Its public key, uncompressed point: part of the key derivation's info.
    let publicKey: Data
    /// The subscription's auth secret.
    let authSecret: Data

    init(privateKey: P256.KeyAgreement.PrivateKey, authSecret: Data) {
        self.privateKey = privateKey
        self.publicKey = privateKey.publicKey.x963Representation
        self.authSecret = authSecret
    }

    /// The plaintext of `message`, padding removed.
    func decrypt(_ message: Data) throws(Failure) -> Data {
        let bytes = [UInt8](message)
        guard bytes.count >= 21 else { throw .malformedHeader }
        let salt = Data(bytes[0..<16])
        let recordSize = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let keyIDLength = Int(bytes[20])
        guard recordSize >= 18, bytes.count >= 21 + keyIDLength else { throw .malformedHeader }
        let senderKey = Data(bytes[21..<(21 + keyIDLength)])
        let record = bytes[(21 + keyIDLength)...]
        // RFC 8291 §4: a push message is a single record.
        guard record.count <= recordSize else { throw .recordTooLarge }
        guard record.count >= 16 + 1 else { throw .authentication }

        guard let sender = try? P256.KeyAgreement.PublicKey(x963Representation: senderKey),
            let shared = try? privateKey.sharedSecretFromKeyAgreement(with: sender)
        else { throw .badKey }
        // RFC 8291 §3.4: IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" ‖ 0 ‖ ua_public ‖ as_public).
        let keyInfo = Data("WebPush: info".utf8) + [0] + publicKey + senderKey
        let inputKey = shared.hkdfDerivedSymmetricKey(
            using: SHA256.self,
            salt: authSecret,
            sharedInfo: keyInfo,
            outputByteCount: 32
        )
        // RFC 8188 §2.2-2.3: the content key and nonce from the salt.
        let contentKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: inputKey,
            salt: salt,
            info: Data("Content-Encoding: aes128gcm".utf8) + [0],
            outputByteCount: 16
        )
        let nonce = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: inputKey,
            salt: salt,
            info: Data("Content-Encoding: nonce".utf8) + [0],
            outputByteCount: 12
        )
        // The first record's sequence number is 0, so its nonce is NONCE itself.
        guard
            let plaintext = try? AES.GCM.open(
                AES.GCM.SealedBox(
                    nonce: AES.GCM.Nonce(data: nonce.withUnsafeBytes { Data($0) }),
                    ciphertext: record.dropLast(16),
                    tag: record.suffix(16)
                ),
                using: contentKey
            )
        else { throw .authentication }
        // The last (here only) record ends with the delimiter 2 then zero or more zero bytes.
        guard let delimiter = plaintext.lastIndex(where: { $0 != 0 }), plaintext[delimiter] == 2 else {
            throw .badPadding
        }
        return plaintext[plaintext.startIndex..<delimiter]
    }
}
