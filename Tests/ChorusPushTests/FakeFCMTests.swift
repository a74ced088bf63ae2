import ChorusProtocol
import ChorusPushFakes
import Foundation
import NIOHTTP1
import Testing
import _CryptoExtras

@Suite struct FakeFCMTests {
    /// What a service account key file gives a client.
    struct Account {
        var projectID: String
        var clientEmail: String
        var keyID: String
        var key: _RSA.Signing.PrivateKey
        var tokenURI: String

        init(json: String) throws {
            let file = try JSONValue(parsing: json)
            projectID = try #require(file["project_id"]?.stringValue)
            clientEmail = try #require(file["client_email"]?.stringValue)
            keyID = try #require(file["private_key_id"]?.stringValue)
            key = try _RSA.Signing.PrivateKey(pemRepresentation: try #require(file["private_key"]?.stringValue))
            tokenURI = try #require(file["token_uri"]?.stringValue)
        }

        func assertion(audience: String? = nil, signer: _RSA.Signing.PrivateKey? = nil) throws -> String {
            let now = TestJWT.now
            return try TestJWT.rs256(
                kid: keyID,
                claims: [
                    "iss": .string(clientEmail), "aud": .string(audience ?? tokenURI),
                    "scope": "https://www.googleapis.com/auth/firebase.messaging",
                    "iat": .integer(now), "exp": .integer(now + 3600),
                ],
                key: signer ?? key
            )
        }
    }

    private func withFake(_ body: (FakeFCM, Account, FakeServiceClient) async throws -> Void) async throws {
        let fcm = try await FakeFCM.start()
        do {
            let account = try Account(json: try fcm.makeServiceAccount(projectID: "chorus-test"))
            try await FakeServiceClient.with { try await body(fcm, account, $0) }
            await fcm.shutdown()
        } catch {
            await fcm.shutdown()
            throw error
        }
    }

    private func fetchToken(
        _ client: FakeServiceClient,
        url: String,
        assertion: String
    ) async throws
        -> FakeServiceClient.Answer
    {
        let form = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=\(assertion)"
        return try await client.post(
            url,
            headers: ["content-type": "application/x-www-form-urlencoded"],
            body: Array(form.utf8)
        )
    }

    private func send(
        _ client: FakeServiceClient,
        _ fcm: FakeFCM,
        accessToken: String,
        message: JSONValue
    ) async throws -> FakeServiceClient.Answer {
        try await client.post(
            "\(fcm.baseURL)/v1/projects/chorus-test/messages:send",
            headers: ["authorization": "Bearer \(accessToken)"],
            json: ["message": message]
        )
    }

    @Test func issuesATokenForAValidAssertionAndAcceptsSendsWithIt() async throws {
        try await withFake { fcm, account, client in
            #expect(account.tokenURI == fcm.tokenURL)
            let tokenAnswer = try await fetchToken(client, url: account.tokenURI, assertion: try account.assertion())
            #expect(tokenAnswer.status == .ok)
            #expect(tokenAnswer.json?["expires_in"] == 3600)
            #expect(tokenAnswer.json?["token_type"] == "Bearer")
            let accessToken = try #require(tokenAnswer.json?["access_token"]?.stringValue)

            let message: JSONValue = ["token": "device-1", "data": ["order": "42"], "notification": ["title": "Hi"]]
            for _ in 0..<3 {
                let answer = try await send(client, fcm, accessToken: accessToken, message: message)
                #expect(answer.status == .ok)
                #expect(answer.json?["name"]?.stringValue?.hasPrefix("projects/chorus-test/messages/") == true)
            }
            #expect(fcm.issuedAccessTokenCount == 1)
            #expect(fcm.ledger.deliveries(for: "device-1") == 3)
            #expect(fcm.ledger.received.first?.payload == message)
        }
    }

    @Test func refusesAnAssertionWithABadSignatureOrAudience() async throws {
        try await withFake { fcm, account, client in
            let forged = try account.assertion(signer: try _RSA.Signing.PrivateKey(keySize: .bits2048))
            let badSignature = try await fetchToken(client, url: fcm.tokenURL, assertion: forged)
            #expect(badSignature.status == .badRequest)
            #expect(badSignature.json?["error"] == "invalid_grant")

            let elsewhere = try account.assertion(audience: "https://oauth2.googleapis.com/token")
            let badAudience = try await fetchToken(client, url: fcm.tokenURL, assertion: elsewhere)
            #expect(badAudience.status == .badRequest)
            #expect(badAudience.json?["error_description"] == "Invalid JWT: Failed audience check.")
            #expect(fcm.issuedAccessTokenCount == 0)
        }
    }

    @Test func refusesSendsWithoutAnIssuedTokenOrWithNonStringData() async throws {
        try await withFake { fcm, account, client in
            let unknown = try await send(client, fcm, accessToken: "ya29.made-up", message: ["token": "device-1"])
            #expect(unknown.status == .unauthorized)
            #expect(unknown.json?["error"]?["status"] == "UNAUTHENTICATED")

            let tokenAnswer = try await fetchToken(client, url: fcm.tokenURL, assertion: try account.assertion())
            let accessToken = try #require(tokenAnswer.json?["access_token"]?.stringValue)
            let badData = try await send(
                client,
                fcm,
                accessToken: accessToken,
                message: ["token": "device-1", "data": ["count": 3]]
            )
            #expect(badData.status == .badRequest)
            #expect(badData.json?["error"]?["status"] == "INVALID_ARGUMENT")
            #expect(fcm.ledger.attempts(for: "device-1") == 2)
            #expect(fcm.ledger.totalDeliveries == 0)
        }
    }

    @Test func answersAsScripted() async throws {
        try await withFake { fcm, account, client in
            let tokenAnswer = try await fetchToken(client, url: fcm.tokenURL, assertion: try account.assertion())
            let accessToken = try #require(tokenAnswer.json?["access_token"]?.stringValue)
            fcm.ledger.script(.gone, for: "gone")
            fcm.ledger.script(.rateLimited(retryAfterSeconds: 3, times: 1), for: "busy")
            fcm.ledger.script(.serverError(times: .max), for: "down")

            let gone = try await send(client, fcm, accessToken: accessToken, message: ["token": "gone"])
            #expect(gone.status == .notFound)
            #expect(gone.json?["error"]?["details"]?.arrayValue?.first?["errorCode"] == "UNREGISTERED")

            let busy = try await send(client, fcm, accessToken: accessToken, message: ["token": "busy"])
            #expect(busy.status == .tooManyRequests)
            #expect(busy.headers.first(name: "retry-after") == "3")
            #expect(try await send(client, fcm, accessToken: accessToken, message: ["token": "busy"]).status == .ok)

            for _ in 0..<3 {
                let down = try await send(client, fcm, accessToken: accessToken, message: ["token": "down"])
                #expect(down.status == .internalServerError)
            }
            #expect(fcm.ledger.deliveriesByTarget == ["busy": 1])
        }
    }
}
