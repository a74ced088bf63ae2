import ChorusPush
import ChorusPushProviders
import Testing

@Suite struct ProviderClassificationTests {
    static let now = 1_800_000_000.0

    static func response(_ status: Int, _ body: String = "", retryAfter: String? = nil) -> ProviderResponse {
        ProviderResponse(status: status, retryAfter: retryAfter, body: Array(body.utf8))
    }

    static func apns(_ status: Int, _ body: String = "", retryAfter: String? = nil) -> ProviderVerdict {
        APNsClassifier.classify(response(status, body, retryAfter: retryAfter), now: now)
    }

    static func fcm(_ status: Int, _ body: String = "", retryAfter: String? = nil) -> ProviderVerdict {
        FCMClassifier.classify(response(status, body, retryAfter: retryAfter), now: now)
    }

    static func webPush(_ status: Int, _ body: String = "", retryAfter: String? = nil) -> ProviderVerdict {
        WebPushClassifier.classify(response(status, body, retryAfter: retryAfter), now: now)
    }

    @Test func apnsAnswers() {
        #expect(Self.apns(200) == ProviderVerdict(.delivered))
        #expect(
            Self.apns(410, #"{"reason":"Unregistered","timestamp":1}"#).attempt
                == .deviceGone(reason: "410 Unregistered")
        )
        #expect(Self.apns(410).attempt == .deviceGone(reason: "410"))
        #expect(Self.apns(400, #"{"reason":"BadDeviceToken"}"#).attempt == .deviceGone(reason: "400 BadDeviceToken"))
        #expect(Self.apns(400, #"{"reason":"Unregistered"}"#).attempt == .deviceGone(reason: "400 Unregistered"))
        #expect(
            Self.apns(429, #"{"reason":"TooManyRequests"}"#, retryAfter: "30").attempt
                == .retry(reason: "429 TooManyRequests", retryAfter: 30)
        )
        #expect(
            Self.apns(500, #"{"reason":"InternalServerError"}"#).attempt
                == .retry(reason: "500 InternalServerError", retryAfter: nil)
        )
        #expect(Self.apns(503, "not json").attempt == .retry(reason: "503", retryAfter: nil))
        #expect(
            Self.apns(403, #"{"reason":"ExpiredProviderToken"}"#)
                == ProviderVerdict(.retry(reason: "403 ExpiredProviderToken", retryAfter: nil), dropsToken: true)
        )
        #expect(Self.apns(403, #"{"reason":"InvalidProviderToken"}"#).dropsToken)
        #expect(
            Self.apns(400, #"{"reason":"BadCollapseId"}"#)
                == ProviderVerdict(.rejected(code: "provider_rejected", reason: "400 BadCollapseId"))
        )
        #expect(
            Self.apns(413, #"{"reason":"PayloadTooLarge"}"#).attempt
                == .rejected(code: "provider_rejected", reason: "413 PayloadTooLarge")
        )
        #expect(
            Self.apns(403, #"{"reason":"BadCertificate"}"#).attempt
                == .rejected(code: "provider_rejected", reason: "403 BadCertificate")
        )
    }

    @Test func fcmAnswers() {
        #expect(Self.fcm(200, #"{"name":"projects/p/messages/1"}"#) == ProviderVerdict(.delivered))
        let unregistered = #"""
            {"error":{"code":404,"message":"Requested entity was not found.","status":"NOT_FOUND",
            "details":[{"@type":"type.googleapis.com/google.firebase.fcm.v1.FcmError","errorCode":"UNREGISTERED"}]}}
            """#
        #expect(Self.fcm(404, unregistered).attempt == .deviceGone(reason: "404 UNREGISTERED"))
        #expect(Self.fcm(404).attempt == .deviceGone(reason: "404"))
        #expect(
            Self.fcm(400, #"{"error":{"status":"INVALID_ARGUMENT","details":[{"errorCode":"UNREGISTERED"}]}}"#).attempt
                == .deviceGone(reason: "400 UNREGISTERED")
        )
        #expect(
            Self.fcm(400, #"{"error":{"code":400,"message":"bad ttl","status":"INVALID_ARGUMENT"}}"#).attempt
                == .rejected(code: "provider_rejected", reason: "400 INVALID_ARGUMENT: bad ttl")
        )
        #expect(
            Self.fcm(401, #"{"error":{"status":"UNAUTHENTICATED"}}"#)
                == ProviderVerdict(.retry(reason: "401 UNAUTHENTICATED", retryAfter: nil), dropsToken: true)
        )
        #expect(
            Self.fcm(
                429,
                #"{"error":{"status":"RESOURCE_EXHAUSTED","details":[{"errorCode":"QUOTA_EXCEEDED"}]}}"#,
                retryAfter: "7"
            )
            .attempt == .retry(reason: "429 QUOTA_EXCEEDED", retryAfter: 7)
        )
        #expect(Self.fcm(503, retryAfter: "1.5").attempt == .retry(reason: "503", retryAfter: 1.5))
        #expect(
            Self.fcm(403, #"{"error":{"status":"PERMISSION_DENIED","details":[{"errorCode":"SENDER_ID_MISMATCH"}]}}"#)
                .attempt
                == .rejected(code: "provider_rejected", reason: "403 SENDER_ID_MISMATCH")
        )
    }

    @Test func webPushAnswers() {
        for status in [200, 201, 202] { #expect(Self.webPush(status) == ProviderVerdict(.delivered)) }
        #expect(Self.webPush(404).attempt == .deviceGone(reason: "404"))
        #expect(Self.webPush(410).attempt == .deviceGone(reason: "410"))
        #expect(Self.webPush(429, retryAfter: "12").attempt == .retry(reason: "429", retryAfter: 12))
        #expect(Self.webPush(502).attempt == .retry(reason: "502", retryAfter: nil))
        #expect(Self.webPush(403) == ProviderVerdict(.retry(reason: "403", retryAfter: nil), dropsToken: true))
        #expect(Self.webPush(413).attempt == .rejected(code: "provider_rejected", reason: "413"))
        #expect(
            Self.webPush(400, " bad Topic\n").attempt == .rejected(code: "provider_rejected", reason: "400 bad Topic")
        )
    }

    @Test func fcmTokenEndpointAnswers() throws {
        let granted = try FCMAccessToken.token(
            from: Self.response(200, #"{"access_token":"ya29.x","expires_in":3599,"token_type":"Bearer"}"#),
            projectID: "p",
            now: Self.now
        )
        #expect(granted.value.accessToken == "ya29.x")
        #expect(granted.renewAt == Self.now + 3299)
        let shortLived = try FCMAccessToken.token(
            from: Self.response(200, #"{"access_token":"t","expires_in":60}"#),
            projectID: "p",
            now: Self.now
        )
        #expect(shortLived.renewAt == Self.now + 30)
        #expect(
            Self.tokenFailure(400, #"{"error":"invalid_grant"}"#)
                == .rejected(code: "invalid_credential", reason: "token endpoint 400 invalid_grant")
        )
        #expect(Self.tokenFailure(503, retryAfter: "4") == .retry(reason: "token endpoint 503", retryAfter: 4))
        #expect(
            Self.tokenFailure(200, "{}")
                == .retry(reason: "token endpoint answered without access_token", retryAfter: nil)
        )
    }

    static func tokenFailure(_ status: Int, _ body: String = "", retryAfter: String? = nil) -> DeliveryAttempt? {
        do {
            _ = try FCMAccessToken.token(from: response(status, body, retryAfter: retryAfter), projectID: "p", now: now)
            return nil
        } catch {
            return (error as? ProviderFailure)?.attempt
        }
    }

    @Test func retryAfterReadsSecondsAndDates() {
        #expect(RetryAfter.seconds(nil, now: Self.now) == nil)
        #expect(RetryAfter.seconds("120", now: Self.now) == 120)
        #expect(RetryAfter.seconds(" 0 ", now: Self.now) == 0)
        #expect(RetryAfter.seconds("-5", now: Self.now) == nil)
        #expect(RetryAfter.seconds("soon", now: Self.now) == nil)
        // 2027-01-15T08:00:00Z is 1_800_000_000 seconds since 1970.
        #expect(RetryAfter.seconds("Fri, 15 Jan 2027 08:00:00 GMT", now: 1_800_000_000 - 90) == 90)
        #expect(RetryAfter.seconds("Fri, 15 Jan 2027 08:00:00 GMT", now: 1_800_000_010) == 0)
    }
}
