import ChorusProtocol
import ChorusPushFakes
import ChorusPushProviders
import Crypto
import Foundation
import NIOHTTP1
import Testing

@Suite struct FakeWebPushTests {
    /// RFC 8291 §5 / appendix A: the user agent's keys and auth secret, and the message an
    /// application server encrypted for it.
    enum RFC8291 {
        static let uaPrivateKey = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
        static let uaPublicKey =
            "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
        static let authSecret = "BTBZMqHH6r4Tts7J_aSIgg"
        static let message =
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3"
            + "jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
        static let plaintext = "When I grow up, I want to be a watermelon"
    }

    let vapidKey = P256.Signing.PrivateKey()

    private func withFake(
        _ body: (FakeWebPush, FakeWebPushSubscription, FakeServiceClient) async throws -> Void
    ) async throws {
        let push = try await FakeWebPush.start()
        do {
            let subscription = push.makeSubscription(
                privateKey: try P256.KeyAgreement.PrivateKey(
                    rawRepresentation: try #require(Base64URL.decode(RFC8291.uaPrivateKey))
                ),
                authSecret: Data(try #require(Base64URL.decode(RFC8291.authSecret)))
            )
            try await FakeServiceClient.with { try await body(push, subscription, $0) }
            await push.shutdown()
        } catch {
            await push.shutdown()
            throw error
        }
    }

    private func headers(
        audience: String,
        signer: P256.Signing.PrivateKey? = nil,
        expiresIn: Int64 = 3600,
        ttl: String? = "60"
    ) throws -> HTTPHeaders {
        let token = try TestJWT.es256(
            claims: [
                "aud": .string(audience), "exp": .integer(TestJWT.now + expiresIn), "sub": "mailto:ops@example.com",
            ],
            key: signer ?? vapidKey
        )
        let key = Base64URL.encode(vapidKey.publicKey.x963Representation)
        var headers: HTTPHeaders = ["authorization": "vapid t=\(token), k=\(key)", "content-encoding": "aes128gcm"]
        if let ttl { headers.add(name: "ttl", value: ttl) }
        return headers
    }

    private func rfcMessage() throws -> [UInt8] {
        Array(try #require(Base64URL.decode(RFC8291.message)))
    }

    @Test func decryptsTheRFC8291ExampleMessage() async throws {
        try await withFake { push, subscription, client in
            #expect(subscription.p256dh == RFC8291.uaPublicKey)
            #expect(subscription.auth == RFC8291.authSecret)
            #expect(subscription.endpoint == "\(push.baseURL)/push/\(subscription.id)")

            var headers = try headers(audience: push.baseURL)
            headers.add(name: "urgency", value: "high")
            let answer = try await client.post(subscription.endpoint, headers: headers, body: try rfcMessage())

            #expect(answer.status == .created)
            let received = try #require(push.ledger.received(for: subscription.id).first)
            #expect(String(decoding: received.body, as: UTF8.self) == RFC8291.plaintext)
            #expect(received.payload == nil)
            #expect(received.headers["ttl"] == "60")
            #expect(received.headers["urgency"] == "high")
        }
    }

    @Test func refusesABadVAPIDSignatureAudienceOrExpiry() async throws {
        try await withFake { push, subscription, client in
            let refused = [
                try headers(audience: push.baseURL, signer: P256.Signing.PrivateKey()),
                try headers(audience: "https://push.example.net"),
                try headers(audience: push.baseURL, expiresIn: -10),
                try headers(audience: push.baseURL, expiresIn: 25 * 3600),
            ]
            for headers in refused {
                let answer = try await client.post(subscription.endpoint, headers: headers, body: try rfcMessage())
                #expect(answer.status == .unauthorized)
            }
            #expect(push.ledger.attempts(for: subscription.id) == refused.count)
            #expect(push.ledger.totalDeliveries == 0)
        }
    }

    @Test func refusesAMissingTTLAnotherEncodingOrABodyThatDoesNotDecrypt() async throws {
        try await withFake { push, subscription, client in
            let noTTL = try await client.post(
                subscription.endpoint,
                headers: try headers(audience: push.baseURL, ttl: nil),
                body: try rfcMessage()
            )
            #expect(noTTL.status == .badRequest)

            var aesgcm = try headers(audience: push.baseURL)
            aesgcm.replaceOrAdd(name: "content-encoding", value: "aesgcm")
            #expect(
                try await client.post(subscription.endpoint, headers: aesgcm, body: try rfcMessage()).status
                    == .unsupportedMediaType
            )

            var tampered = try rfcMessage()
            tampered[tampered.count - 1] ^= 1
            let answer = try await client.post(
                subscription.endpoint,
                headers: try headers(audience: push.baseURL),
                body: tampered
            )
            #expect(answer.status == .badRequest)
            #expect(push.ledger.totalDeliveries == 0)
        }
    }

    @Test func answersAsScripted() async throws {
        try await withFake { push, subscription, client in
            let headers = try headers(audience: push.baseURL)
            push.ledger.script(.gone, for: subscription.id)
            #expect(
                try await client.post(subscription.endpoint, headers: headers, body: try rfcMessage()).status == .gone
            )

            push.ledger.script(.rateLimited(retryAfterSeconds: 5, times: 1), for: subscription.id)
            let busy = try await client.post(subscription.endpoint, headers: headers, body: try rfcMessage())
            #expect(busy.status == .tooManyRequests)
            #expect(busy.headers.first(name: "retry-after") == "5")
            #expect(
                try await client.post(subscription.endpoint, headers: headers, body: try rfcMessage()).status
                    == .created
            )

            let unknown = try await client.post(
                "\(push.baseURL)/push/unknown",
                headers: headers,
                body: try rfcMessage()
            )
            #expect(unknown.status == .notFound)
            #expect(push.ledger.attempts(for: subscription.id) == 3)
            #expect(push.ledger.deliveries(for: subscription.id) == 1)
        }
    }
}
