import ChorusProtocol
import ChorusPush
import ChorusPushProviders
import Crypto
import Foundation
import Testing

@Suite struct WebPushEncryptionTests {
    /// RFC 8291 Appendix A, with the line breaks removed.
    enum Vector {
        static let plaintext = "When I grow up, I want to be a watermelon"
        static let serverPrivateKey = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
        static let serverPublicKey =
            "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
        static let userAgentPrivateKey = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
        static let userAgentPublicKey =
            "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
        static let salt = "DGv6ra1nlYgDCS1FRnbzlw"
        static let authSecret = "BTBZMqHH6r4Tts7J_aSIgg"
        static let body =
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
    }

    @Test func reproducesTheRFC8291AppendixExampleByteForByte() throws {
        let serverKey = try P256.KeyAgreement.PrivateKey(
            rawRepresentation: try #require(Base64URL.decode(Vector.serverPrivateKey))
        )
        #expect(Base64URL.encode(serverKey.publicKey.x963Representation) == Vector.serverPublicKey)
        let encryption = try WebPushEncryption(
            subscription: WebPushSubscription(
                endpoint: "https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV",
                p256dh: Vector.userAgentPublicKey,
                auth: Vector.authSecret
            )
        )
        let body = try encryption.seal(
            Array(Vector.plaintext.utf8),
            salt: try #require(Base64URL.decode(Vector.salt)),
            serverKey: serverKey
        )
        #expect(body == Base64URL.decode(Vector.body))
        #expect(Base64URL.encode(body) == Vector.body)
    }

    @Test func aRandomlyKeyedMessageDecryptsWithTheUserAgentsKeys() throws {
        let userAgentKey = P256.KeyAgreement.PrivateKey()
        let auth = Array(repeating: UInt8(7), count: 16)
        let encryption = try WebPushEncryption(
            userAgentPublicKey: Array(userAgentKey.publicKey.x963Representation),
            authSecret: auth
        )
        let plaintext = Array(#"{"title":"hi","publish_id":"p1"}"#.utf8)
        let first = try encryption.seal(plaintext)
        let second = try encryption.seal(plaintext)
        #expect(first != second)
        #expect(try Self.open(first, userAgentKey: userAgentKey, authSecret: auth) == plaintext)
        #expect(try Self.open(second, userAgentKey: userAgentKey, authSecret: auth) == plaintext)
    }

    @Test func aPayloadOverOneRecordIsRefused() throws {
        let encryption = try WebPushEncryption(
            userAgentPublicKey: Array(P256.KeyAgreement.PrivateKey().publicKey.x963Representation),
            authSecret: Array(repeating: 1, count: 16)
        )
        #expect(try encryption.seal(Array(repeating: 0x41, count: WebPushEncryption.maxPlaintextBytes)).count == 4096)
        #expect(throws: WebPushEncryption.Failure.payloadTooLarge) {
            try encryption.seal(Array(repeating: 0x41, count: WebPushEncryption.maxPlaintextBytes + 1))
        }
    }

    @Test func unusableSubscriptionKeysAreRefused() {
        #expect(throws: WebPushEncryption.Failure.invalidSubscriptionKeys) {
            try WebPushEncryption(
                userAgentPublicKey: Array(repeating: 4, count: 65),
                authSecret: Array(repeating: 1, count: 16)
            )
        }
        #expect(throws: WebPushEncryption.Failure.invalidSubscriptionKeys) {
            try WebPushEncryption(
                subscription: WebPushSubscription(
                    endpoint: "https://x",
                    p256dh: Vector.userAgentPublicKey,
                    auth: "AAAA"
                )
            )
        }
    }

    /// The user agent's side of RFC 8291, to check what a random key and salt produced.
    static func open(_ body: [UInt8], userAgentKey: P256.KeyAgreement.PrivateKey, authSecret: [UInt8]) throws -> [UInt8]
    {
        let salt = Array(body[0..<16])
        let keyLength = Int(body[20])
        let serverKeyBytes = Array(body[21..<(21 + keyLength)])
        let serverKey = try P256.KeyAgreement.PublicKey(x963Representation: serverKeyBytes)
        let secret = try userAgentKey.sharedSecretFromKeyAgreement(with: serverKey)
        let info = Array("WebPush: info".utf8) + [0] + Array(userAgentKey.publicKey.x963Representation) + serverKeyBytes
        let ikm = secret.hkdfDerivedSymmetricKey(
            using: SHA256.self,
            salt: authSecret,
            sharedInfo: info,
            outputByteCount: 32
        )
        let prk = HKDF<SHA256>.extract(inputKeyMaterial: ikm, salt: salt)
        let key = HKDF<SHA256>.expand(
            pseudoRandomKey: prk,
            info: Array("Content-Encoding: aes128gcm".utf8) + [0],
            outputByteCount: 16
        )
        let nonce = HKDF<SHA256>.expand(
            pseudoRandomKey: prk,
            info: Array("Content-Encoding: nonce".utf8) + [0],
            outputByteCount: 12
        )
        let record = Array(body[(21 + keyLength)...])
        let box = try AES.GCM.SealedBox(
            nonce: try AES.GCM.Nonce(data: nonce.withUnsafeBytes { Array($0) }),
            ciphertext: record.dropLast(16),
            tag: record.suffix(16)
        )
        var padded = Array(try AES.GCM.open(box, using: key))
        while padded.last == 0 { padded.removeLast() }
        #expect(padded.last == 2)
        return Array(padded.dropLast())
    }
}
