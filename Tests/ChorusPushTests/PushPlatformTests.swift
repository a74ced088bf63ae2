import ChorusPush
import Testing

@Suite struct PushPlatformTests {
    @Test func everyPlatformNamesTheCredentialItNeeds() {
        #expect(PushPlatform.apns.provider == .apns)
        #expect(PushPlatform.fcm.provider == .fcm)
        #expect(PushPlatform.webPush.provider == .webPush)
        #expect(PushProviderName.webPush.rawValue == "webpush")
        #expect(PushPlatform.webPush.rawValue == "web_push")
    }
}
