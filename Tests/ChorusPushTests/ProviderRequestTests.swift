import ChorusProtocol
import ChorusPush
import ChorusPushProviders
import Testing

@Suite struct ProviderRequestTests {
    static let notification = PushNotification(
        publishID: "pub_1",
        payload: PushPayload(title: "Hello", body: "World", data: ["order": 42, "note": "x", "nested": ["a": true]]),
        expiresAtMs: 1_800_000_060_000,
        collapseID: "pub_1"
    )

    @Test func apnsAlertRequest() throws {
        var configuration = ProviderConfiguration()
        configuration.apnsSandboxURL = "https://127.0.0.1:8443"
        let credential = APNsCredential(
            teamID: "T",
            keyID: "K",
            privateKey: "",
            topic: "com.example.app",
            environment: .sandbox
        )
        let request = APNsRequest.make(
            Self.notification,
            deviceToken: "abc123",
            credential: credential,
            providerToken: "jwt",
            configuration: configuration
        )
        #expect(request.url == "https://127.0.0.1:8443/3/device/abc123")
        #expect(request.header("authorization") == "bearer jwt")
        #expect(request.header("apns-topic") == "com.example.app")
        #expect(request.header("apns-push-type") == "alert")
        #expect(request.header("apns-priority") == "10")
        #expect(request.header("apns-expiration") == "1800000060")
        #expect(request.header("apns-collapse-id") == "pub_1")
        #expect(
            try JSONValue(parsing: request.body)
                == ["aps": ["alert": ["title": "Hello", "body": "World"]], "data": Self.notification.payload.data!]
        )
    }

    @Test func apnsBackgroundRequestToProduction() throws {
        var notification = Self.notification
        notification.payload = PushPayload(data: ["k": "v"])
        notification.collapseID = String(repeating: "c", count: 65)
        let credential = APNsCredential(teamID: "T", keyID: "K", privateKey: "", topic: "t", environment: .production)
        let request = APNsRequest.make(
            notification,
            deviceToken: "a/b",
            credential: credential,
            providerToken: "jwt",
            configuration: ProviderConfiguration()
        )
        #expect(request.url == "https://api.push.apple.com/3/device/a%2Fb")
        #expect(request.header("apns-push-type") == "background")
        #expect(request.header("apns-priority") == "5")
        #expect(request.header("apns-collapse-id")?.utf8.count == 64)
        #expect(try JSONValue(parsing: request.body) == ["aps": ["content-available": 1], "data": ["k": "v"]])
    }

    @Test func fcmRequestStringifiesData() throws {
        var configuration = ProviderConfiguration()
        configuration.fcmURL = "http://127.0.0.1:9000"
        let request = FCMRequest.make(
            Self.notification,
            registrationToken: "reg-1",
            access: FCMAccess(accessToken: "ya29", projectID: "my-project"),
            configuration: configuration,
            now: 1_800_000_000
        )
        #expect(request.url == "http://127.0.0.1:9000/v1/projects/my-project/messages:send")
        #expect(request.header("authorization") == "Bearer ya29")
        #expect(
            try JSONValue(parsing: request.body) == [
                "message": [
                    "token": "reg-1",
                    "notification": ["title": "Hello", "body": "World"],
                    "data": ["order": "42", "note": "x", "nested": #"{"a":true}"#],
                    "android": ["collapse_key": "pub_1", "ttl": "60s"],
                ]
            ]
        )
    }

    @Test func fcmDataOnlyMessageHasNoNotification() throws {
        var notification = Self.notification
        notification.payload = PushPayload(data: ["k": "v"])
        notification.expiresAtMs = 0
        let message = FCMRequest.message(notification, registrationToken: "r", now: 1_800_000_000)
        #expect(message["message"]?["notification"] == nil)
        #expect(message["message"]?["android"]?["ttl"] == "0s")
    }

    @Test func webPushRequest() throws {
        let request = WebPushRequest.make(
            Self.notification,
            endpoint: "http://127.0.0.1:9001/push/s1",
            body: [1, 2, 3],
            authorization: "vapid t=a.b.c, k=K",
            now: 1_800_000_000.5
        )
        #expect(request.url == "http://127.0.0.1:9001/push/s1")
        #expect(request.header("ttl") == "60")
        #expect(request.header("content-encoding") == "aes128gcm")
        #expect(request.header("urgency") == "normal")
        #expect(request.header("topic") == CollapseID.webPushTopic("pub_1"))
        #expect(request.header("authorization") == "vapid t=a.b.c, k=K")
        #expect(request.body == [1, 2, 3])
        #expect(
            try JSONValue(parsing: WebPushRequest.plaintext(Self.notification)) == [
                "title": "Hello", "body": "World", "data": Self.notification.payload.data!, "publish_id": "pub_1",
            ]
        )
    }

    @Test func collapseIDsFitEachService() {
        #expect(CollapseID.apns("short") == "short")
        let long = String(repeating: "x", count: 100)
        #expect(CollapseID.apns(long).utf8.count == 64)
        #expect(CollapseID.apns(long) == CollapseID.apns(long))
        for id in ["pub_1", "has space", "dot.ted", String(repeating: "a", count: 33), ""] {
            let topic = CollapseID.webPushTopic(id)
            #expect(topic.utf8.count == 32)
            #expect(Base64URL.decode(topic)?.count == 24)
            #expect(topic.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        }
        #expect(CollapseID.webPushTopic("a.b") != CollapseID.webPushTopic("a,b"))
    }
}
