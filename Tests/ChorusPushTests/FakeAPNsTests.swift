import ChorusProtocol
import ChorusPushFakes
import Crypto
import NIOCore
import NIOHTTP1
import Testing

@Suite struct FakeAPNsTests {
    static let teamID = "TEAM123456"
    static let keyID = "KEY1234567"
    let key = P256.Signing.PrivateKey()

    /// A fake with `key` registered, and a client trusting the test CA.
    private func withFake(_ body: (FakeAPNs, FakeServiceClient) async throws -> Void) async throws {
        let apns = try await FakeAPNs.start()
        apns.register(teamID: Self.teamID, keyID: Self.keyID, publicKey: key.publicKey)
        do {
            try await FakeServiceClient.with { try await body(apns, $0) }
            await apns.shutdown()
        } catch {
            await apns.shutdown()
            throw error
        }
    }

    private func providerToken(
        signedBy signer: P256.Signing.PrivateKey? = nil,
        issuedAt: Int64 = TestJWT.now
    ) throws -> String {
        try TestJWT.es256(
            kid: Self.keyID,
            claims: ["iss": .string(Self.teamID), "iat": .integer(issuedAt)],
            key: signer ?? key
        )
    }

    private func headers(token: String, topic: String? = "com.example.app") -> HTTPHeaders {
        var headers: HTTPHeaders = ["authorization": "bearer \(token)", "apns-push-type": "alert"]
        if let topic { headers.add(name: "apns-topic", value: topic) }
        return headers
    }

    private let payload: JSONValue = ["aps": ["alert": ["title": "Hello", "body": "World"]], "order": "42"]

    @Test func acceptsASignedRequestOverHTTP2AndRecordsIt() async throws {
        try await withFake { apns, client in
            var headers = headers(token: try providerToken())
            headers.add(name: "apns-collapse-id", value: "publish-1")
            let answer = try await client.post("\(apns.baseURL)/3/device/abc123", headers: headers, json: payload)

            #expect(answer.status == .ok)
            #expect(answer.version == .http2)
            #expect(answer.headers.first(name: "apns-id") != nil)
            #expect(apns.ledger.deliveries(for: "abc123") == 1)
            let received = try #require(apns.ledger.received(for: "abc123").first)
            #expect(received.payload == payload)
            #expect(received.headers["apns-topic"] == "com.example.app")
            #expect(received.headers["apns-push-type"] == "alert")
            #expect(received.headers["apns-collapse-id"] == "publish-1")
        }
    }

    @Test func refusesAProviderTokenSignedByAnotherKey() async throws {
        try await withFake { apns, client in
            let token = try providerToken(signedBy: P256.Signing.PrivateKey())
            let answer = try await client.post(
                "\(apns.baseURL)/3/device/abc",
                headers: headers(token: token),
                json: payload
            )

            #expect(answer.status == .forbidden)
            #expect(answer.json?["reason"] == "InvalidProviderToken")
            #expect(apns.ledger.attempts(for: "abc") == 1)
            #expect(apns.ledger.totalDeliveries == 0)
        }
    }

    @Test func refusesAProviderTokenOlderThanAnHour() async throws {
        try await withFake { apns, client in
            let token = try providerToken(issuedAt: TestJWT.now - 3700)
            let answer = try await client.post(
                "\(apns.baseURL)/3/device/abc",
                headers: headers(token: token),
                json: payload
            )

            #expect(answer.status == .forbidden)
            #expect(answer.json?["reason"] == "ExpiredProviderToken")
        }
    }

    @Test func refusesARequestWithoutProviderTokenOrTopic() async throws {
        try await withFake { apns, client in
            let noToken = try await client.post("\(apns.baseURL)/3/device/abc", json: payload)
            #expect(noToken.status == .forbidden)
            #expect(noToken.json?["reason"] == "MissingProviderToken")

            let noTopic = try await client.post(
                "\(apns.baseURL)/3/device/abc",
                headers: headers(token: try providerToken(), topic: nil),
                json: payload
            )
            #expect(noTopic.status == .badRequest)
            #expect(noTopic.json?["reason"] == "MissingTopic")

            let noAps = try await client.post(
                "\(apns.baseURL)/3/device/abc",
                headers: headers(token: try providerToken()),
                json: ["alert": "no aps"]
            )
            #expect(noAps.status == .badRequest)
            #expect(apns.ledger.attempts(for: "abc") == 3)
            #expect(apns.ledger.totalDeliveries == 0)
        }
    }

    @Test func answersAsScripted() async throws {
        try await withFake { apns, client in
            let headers = headers(token: try providerToken())
            func send(_ device: String) async throws -> FakeServiceClient.Answer {
                try await client.post("\(apns.baseURL)/3/device/\(device)", headers: headers, json: payload)
            }
            apns.ledger.script(.gone, for: "gone")
            apns.ledger.script(.badDeviceToken, for: "bad")
            apns.ledger.script(.rateLimited(retryAfterSeconds: 7, times: 2), for: "busy")
            apns.ledger.script(.serverError(times: 1), for: "flaky")

            let gone = try await send("gone")
            #expect(gone.status == .gone)
            #expect(gone.json?["reason"] == "Unregistered")
            #expect(gone.json?["timestamp"]?.intValue != nil)

            let bad = try await send("bad")
            #expect(bad.status == .badRequest)
            #expect(bad.json?["reason"] == "BadDeviceToken")

            for _ in 0..<2 {
                let busy = try await send("busy")
                #expect(busy.status == .tooManyRequests)
                #expect(busy.headers.first(name: "retry-after") == "7")
            }
            #expect(try await send("busy").status == .ok)

            #expect(try await send("flaky").status == .internalServerError)
            #expect(try await send("flaky").status == .ok)

            #expect(apns.ledger.attempts(for: "busy") == 3)
            #expect(apns.ledger.deliveriesByTarget == ["busy": 1, "flaky": 1])
        }
    }

    @Test func aHangingDeviceNeverAnswers() async throws {
        try await withFake { apns, client in
            apns.ledger.script(.hang, for: "hung")
            await #expect(throws: (any Error).self) {
                try await client.post(
                    "\(apns.baseURL)/3/device/hung",
                    headers: headers(token: try providerToken()),
                    body: Array(payload.jsonText.utf8),
                    timeout: .milliseconds(300)
                )
            }
            #expect(apns.ledger.attempts(for: "hung") == 1)
            #expect(apns.ledger.totalDeliveries == 0)
        }
    }
}
