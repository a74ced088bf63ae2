import ChorusClient
import ChorusProtocol
import ChorusPushFakes
import ChorusServer
import Crypto
import Foundation

/// The three loopback fakes with credentials they trust, and a server configuration pointed at
/// them: what push tests through the real providers start from.
struct PushProviderFakes {
    let apns: FakeAPNs
    let fcm: FakeFCM
    let webPush: FakeWebPush
    /// `POST …/credentials/{provider}` bodies, by provider.
    let credentials: [String: JSONValue]
    private let trustRootsFile: String

    static let teamID = "TEAM123456"
    static let keyID = "KEY1234567"

    static func start() async throws -> PushProviderFakes {
        let apns = try await FakeAPNs.start()
        let fcm = try await FakeFCM.start()
        let webPush = try await FakeWebPush.start()
        let apnsKey = P256.Signing.PrivateKey()
        apns.register(teamID: teamID, keyID: keyID, publicKey: apnsKey.publicKey)
        let vapid = P256.Signing.PrivateKey()
        let trustRootsFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("chorus-test-ca-\(UUID().uuidString).pem").path
        try TestCertificateAuthority.certificatePEM.write(toFile: trustRootsFile, atomically: true, encoding: .utf8)
        return PushProviderFakes(
            apns: apns,
            fcm: fcm,
            webPush: webPush,
            credentials: [
                "apns": [
                    "team_id": .string(teamID), "key_id": .string(keyID),
                    "private_key": .string(apnsKey.pemRepresentation),
                    "topic": "com.example.chorus", "environment": "production",
                ],
                "fcm": ["service_account_json": .string(try fcm.makeServiceAccount())],
                "webpush": [
                    "vapid_public_key": .string(Base64URL.encode(vapid.publicKey.x963Representation)),
                    "vapid_private_key": .string(Base64URL.encode(vapid.rawRepresentation)),
                    "subject": "mailto:ops@example.com",
                ],
            ],
            trustRootsFile: trustRootsFile
        )
    }

    /// Points `configuration`'s provider URLs and trust roots at the fakes.
    func configure(_ configuration: inout ServerConfiguration) {
        configuration.pushDelivery.apnsURL = apns.baseURL
        configuration.pushDelivery.apnsSandboxURL = apns.baseURL
        configuration.pushDelivery.fcmURL = fcm.baseURL
        configuration.pushDelivery.trustRootsFile = trustRootsFile
    }

    /// Stores every credential through the API.
    func putCredentials(_ client: PushTestClient) async throws {
        for (provider, body) in credentials { try await client.putCredential(provider, body) }
    }

    /// A web push registration token for a new subscription of the fake, with its id.
    func webPushToken() -> (id: String, token: JSONValue) {
        let subscription = webPush.makeSubscription()
        return (
            subscription.id,
            [
                "endpoint": .string(subscription.endpoint), "p256dh": .string(subscription.p256dh),
                "auth": .string(subscription.auth),
            ]
        )
    }

    func shutdown() async {
        await apns.shutdown()
        await fcm.shutdown()
        await webPush.shutdown()
        try? FileManager.default.removeItem(atPath: trustRootsFile)
    }
}
