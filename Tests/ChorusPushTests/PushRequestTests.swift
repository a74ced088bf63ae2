import ChorusProtocol
import ChorusPush
import Testing

@Suite struct PushRequestTests {
    private let webPushToken: JSONValue = [
        "endpoint": "https://push.example/abc",
        "p256dh": .string(Base64URL.encode([4] + [UInt8](repeating: 7, count: 64))),
        "auth": .string(Base64URL.encode([UInt8](repeating: 1, count: 16))),
    ]

    /// The code of the refusal `body` throws; nil when it throws none.
    private func error(_ body: () throws -> Void) -> PushRequestError.Code? {
        do {
            try body()
            return nil
        } catch {
            return (error as? PushRequestError)?.code
        }
    }

    @Test func registrationTakesSnakeOrCamelCase() throws {
        let snake = try DeviceRegistration(
            request: ["device_id": "d1", "platform": "apns", "provider_token": "t", "client_id": "u"],
            appID: "1",
            nowMs: 5
        )
        let camel = try DeviceRegistration(
            request: ["deviceId": "d1", "platform": "apns", "providerToken": "t", "clientId": "u", "extra": 1],
            appID: "1",
            nowMs: 5
        )
        #expect(snake == camel)
        #expect(snake.token == .token("t"))
        #expect(snake.json["provider_token"] == nil)
        #expect(snake.json["state"] == "active")
    }

    @Test func webPushTokenIsASubscriptionObjectOrItsText() throws {
        let object = try DeviceRegistration(
            request: ["device_id": "w", "platform": "web_push", "provider_token": webPushToken],
            appID: "1",
            nowMs: 0
        )
        let text = try DeviceRegistration(
            request: ["device_id": "w", "platform": "web_push", "provider_token": .string(webPushToken.jsonText)],
            appID: "1",
            nowMs: 0
        )
        #expect(object == text)
        guard case .webPush(let subscription) = object.token else {
            Issue.record("not a web push token")
            return
        }
        #expect(ProviderToken(storedText: object.token.storedText, platform: .webPush) == object.token)
        #expect(subscription.endpoint == "https://push.example/abc")
    }

    @Test func badRegistrationsAreRefusedWithTheirCode() {
        #expect(
            error {
                _ = try DeviceRegistration(request: ["platform": "apns", "provider_token": "t"], appID: "1", nowMs: 0)
            }
                == .missingField
        )
        #expect(
            error {
                _ = try DeviceRegistration(
                    request: ["device_id": "d", "platform": "blackberry", "provider_token": "t"],
                    appID: "1",
                    nowMs: 0
                )
            } == .unknownPlatform
        )
        #expect(
            error { _ = try DeviceRegistration(request: ["device_id": "d", "platform": "fcm"], appID: "1", nowMs: 0) }
                == .missingField
        )
        #expect(
            error {
                _ = try DeviceRegistration(
                    request: ["device_id": "d", "platform": "web_push", "provider_token": ["endpoint": "ftp://x"]],
                    appID: "1",
                    nowMs: 0
                )
            } != nil
        )
        #expect(error { _ = try DeviceRegistration(request: "[]", appID: "1", nowMs: 0) } == .invalidBody)
    }

    @Test func publishNeedsRecipientsAndAPayload() throws {
        let request = try PublishRequest(body: [
            "recipients": [["type": "channel", "channel": "orders"], ["type": "device", "deviceId": "d1"]],
            "payload": ["title": "Order updated", "data": ["order_id": "ord_123"]],
            "idempotency_key": "k",
            "providerOverrides": ["ignored": true],
        ])
        #expect(request.recipients == [.channel("orders"), .device("d1")])
        #expect(request.sync == false)
        #expect(request.ttlSeconds == PublishRequest.defaultTTLSeconds)
        let publish = request.publish(appID: "1", publishID: "p", nowMs: 1000)
        #expect(publish.expiresAtMs == 1000 + Int64(PublishRequest.defaultTTLSeconds) * 1000)
    }

    @Test func fingerprintIgnoresSpellingAndKeyOrder() throws {
        let one = try PublishRequest(body: [
            "recipients": [["type": "client", "client_id": "u"]], "payload": ["body": "b"], "sync": false,
        ])
        let two = try PublishRequest(body: [
            "payload": ["body": "b"], "recipients": [["clientId": "u", "type": "client"]], "idempotencyKey": "x",
        ])
        let other = try PublishRequest(body: [
            "recipients": [["type": "client", "client_id": "u"]], "payload": ["body": "c"],
        ])
        #expect(one.fingerprint == two.fingerprint)
        #expect(one.fingerprint != other.fingerprint)
    }

    @Test func publishLimitsAtTheirEdges() throws {
        let recipient: JSONValue = ["type": "device", "device_id": "d"]
        let ok = try PublishRequest(body: [
            "recipients": .array(Array(repeating: recipient, count: 1000)),
            "payload": [
                "title": .string(String(repeating: "t", count: 256)),
                "body": .string(String(repeating: "b", count: 4096)),
            ],
        ])
        #expect(ok.recipients.count == 1000)
        func refusal(_ body: JSONValue) -> PushRequestError.Code? { error { _ = try PublishRequest(body: body) } }
        #expect(
            refusal(["recipients": .array(Array(repeating: recipient, count: 1001)), "payload": ["body": "b"]])
                == .invalidRecipients
        )
        #expect(refusal(["recipients": [], "payload": ["body": "b"]]) == .invalidRecipients)
        #expect(refusal(["payload": ["body": "b"]]) == .invalidRecipients)
        #expect(
            refusal(["recipients": [["type": "topic", "topic": "x"]], "payload": ["body": "b"]]) == .invalidRecipients
        )
        #expect(refusal(["recipients": [["type": "device"]], "payload": ["body": "b"]]) == .invalidRecipients)
        #expect(refusal(["recipients": [recipient]]) == .missingField)
        #expect(refusal(["recipients": [recipient], "payload": [:]]) == .invalidPayload)
        #expect(refusal(["recipients": [recipient], "payload": ["title": 5]]) == .invalidPayload)
        #expect(refusal(["recipients": [recipient], "payload": ["data": "text"]]) == .invalidPayload)
        #expect(
            refusal(["recipients": [recipient], "payload": ["title": .string(String(repeating: "t", count: 257))]])
                == .payloadTooLarge
        )
        #expect(
            refusal(["recipients": [recipient], "payload": ["body": .string(String(repeating: "b", count: 4097))]])
                == .payloadTooLarge
        )
        #expect(refusal(["recipients": [recipient], "payload": ["body": "b"], "sync": "yes"]) == .invalidField)
        #expect(
            refusal(["recipients": [recipient], "payload": ["body": "b"], "idempotency_key": ""])
                == .invalidIdempotencyKey
        )
        #expect(
            refusal(["recipients": [recipient], "payload": ["body": "b"], "notBeforeMs": 5]) == .schedulingUnsupported
        )
    }

    @Test func credentialsAreCheckedAndRedacted() throws {
        let vapid = try PushCredential(
            request: [
                "vapid_public_key": .string(Base64URL.encode([4] + [UInt8](repeating: 9, count: 64))),
                "vapid_private_key": .string(Base64URL.encode([UInt8](repeating: 3, count: 32))),
                "subject": "mailto:ops@example.com",
            ],
            provider: .webPush
        )
        let stored = StoredCredential(appID: "1", credential: vapid, version: 2, updatedAtMs: 0)
        #expect(stored.redactedJSON["vapid_private_key"] == "[redacted]")
        #expect(stored.redactedJSON["version"] == 2)
        #expect(PushCredential(storedJSON: vapid.storedJSON, provider: .webPush) == vapid)
        #expect(
            error {
                _ = try PushCredential(request: ["team_id": "T", "key_id": "K", "topic": "t"], provider: .apns)
            } == .missingField
        )
        let account: JSONValue = ["client_email": "a@b", "private_key": "k", "project_id": "p1"]
        let fcm = try PushCredential(request: ["service_account_json": account], provider: .fcm)
        #expect(fcm == .fcm(FCMCredential(serviceAccountJSON: account.jsonText, projectID: "p1")))
        #expect(
            StoredCredential(appID: "1", credential: fcm, version: 1, updatedAtMs: 0).redactedJSON[
                "service_account_json"
            ] == "[redacted]"
        )
    }

    @Test func listCursorsRoundTripAndRefuseGarbage() throws {
        let cursor = ListPosition.cursor(after: ["orders", "d1", ""])
        let position = try ListPosition(query: [("cursor", cursor), ("limit", "5")])
        #expect(position.after == ["orders", "d1", ""])
        #expect(position.limit == 5)
        #expect(error { _ = try ListPosition(query: [("cursor", "%%%")]) } == .invalidCursor)
        #expect(error { _ = try ListPosition(query: [("limit", "0")]) } == .invalidLimit)
        #expect(error { _ = try ListPosition(query: [("limit", "1001")]) } == .invalidLimit)
    }

    @Test func terminalStateFollowsTheCounts() {
        #expect(PublishState.terminal(succeeded: 0, failed: 0, expired: 0) == .succeeded)
        #expect(PublishState.terminal(succeeded: 2, failed: 1, expired: 0) == .partiallySucceeded)
        #expect(PublishState.terminal(succeeded: 0, failed: 1, expired: 1) == .failed)
        #expect(PublishState.terminal(succeeded: 0, failed: 0, expired: 3) == .expired)
    }
}
