import ChorusProtocol
import ChorusPush
import ChorusStorage
import Foundation
import Logging
import Testing

/// A push backend under test: where a fresh one lives and how to open it there (the push
/// counterpart of ``StoreMaker``; PostgreSQL runs when `CHORUS_TEST_POSTGRES_URL` is set).
struct PushStoreMaker: Sendable, CustomTestStringConvertible {
    var name: String
    /// Whether closing and reopening the same location keeps the data.
    var persistent: Bool
    var location: @Sendable () -> String
    var open: @Sendable (String) async throws -> any PushStore

    var testDescription: String { name }

    /// Without an fsync per commit (`synchronous = NORMAL`), so that registering the 10,000
    /// devices of the large test one transaction at a time stays fast; the factory test opens the
    /// default (`FULL`).
    static let sqlite = PushStoreMaker(
        name: "sqlite",
        persistent: true,
        location: StoreMaker.sqlite.location,
        open: { path in try SQLitePushStore(path: path, durability: .processCrash) }
    )

    static let postgres = PushStoreMaker(
        name: "postgres",
        persistent: true,
        location: StoreMaker.postgres.location,
        open: { url in try await PostgresPushStore(url: url, logger: Logger(label: "chorus.storage.tests")) }
    )

    static let memory = PushStoreMaker(
        name: "memory",
        persistent: false,
        location: { "" },
        open: { _ in MemoryPushStore() }
    )

    static let all: [PushStoreMaker] = [memory, sqlite] + (StoreMaker.postgresURL == nil ? [] : [postgres])
    static let persistentOnes = all.filter(\.persistent)
}

/// One test's push store with an app id of its own, so tests sharing the PostgreSQL database
/// never see each other's devices or publishes.
struct PushFixture: Sendable {
    let maker: PushStoreMaker
    let location: String
    let store: any PushStore
    let app = "app-\(UUID().uuidString)"

    init(_ maker: PushStoreMaker) async throws {
        self.maker = maker
        location = maker.location()
        store = try await maker.open(location)
    }

    func reopen() async throws -> any PushStore {
        try await maker.open(location)
    }

    /// Registers a device with token `token-<id>` (an FCM one unless said otherwise).
    @discardableResult
    func register(
        _ deviceID: String,
        client: String? = nil,
        platform: PushPlatform = .fcm
    ) async throws -> DeviceRegistration {
        let device = PushSamples.device(app, deviceID, client: client, platform: platform)
        _ = try await store.register(device)
        return device
    }

    func subscribe(_ channel: String, device: String? = nil, client: String? = nil) async throws -> Bool {
        try await store.subscribe(ChannelSubscription(appID: app, channel: channel, deviceID: device, clientID: client))
    }

    func publish(
        _ id: String,
        _ recipients: [PushRecipient],
        key: String? = nil,
        fingerprint: String = "F",
        at createdAtMs: Int64 = PushSamples.now
    ) -> PushPublish {
        PushSamples.publish(app, id, recipients, key: key, fingerprint: fingerprint, at: createdAtMs)
    }

    func admit(_ publish: PushPublish, since: Int64 = 0) async throws -> Admission {
        try await store.admit(publish, idempotencySinceMs: since)
    }

    func ref(_ publishID: String) -> PublishRef {
        PublishRef(appID: app, publishID: publishID)
    }

    func outcome(
        _ publishID: String,
        _ deviceID: String,
        _ state: RecipientState,
        error: String? = nil,
        removeDevice: Bool = false
    ) -> DeliveryOutcome {
        DeliveryOutcome(
            publish: ref(publishID),
            delivery: RecipientDelivery(deviceID: deviceID, platform: .fcm, state: state, error: error, attempts: 1),
            removeDevice: removeDevice
        )
    }
}

/// Runs `body` with a fresh fixture and closes its store afterwards.
func withPushStore(_ maker: PushStoreMaker, _ body: (PushFixture) async throws -> Void) async throws {
    let fixture = try await PushFixture(maker)
    do {
        try await body(fixture)
    } catch {
        await fixture.store.close()
        throw error
    }
    await fixture.store.close()
}

/// Devices and publishes as the push API would hand them to a store.
enum PushSamples {
    /// A fixed "now" for publishes: recent enough for any idempotency window a test asks about.
    static let now: Int64 = 1_800_000_000_000

    static func device(
        _ app: String,
        _ deviceID: String,
        client: String? = nil,
        platform: PushPlatform = .fcm,
        metadata: JSONValue? = nil
    ) -> DeviceRegistration {
        let token: ProviderToken =
            platform == .webPush
            ? .webPush(
                WebPushSubscription(endpoint: "https://push.example/\(deviceID)", p256dh: "BPk-\(deviceID)", auth: "au")
            )
            : .token("token-\(deviceID)")
        return DeviceRegistration(
            appID: app,
            deviceID: deviceID,
            platform: platform,
            token: token,
            clientID: client,
            metadata: metadata,
            updatedAtMs: 1_000
        )
    }

    static func publish(
        _ app: String,
        _ id: String,
        _ recipients: [PushRecipient],
        key: String? = nil,
        fingerprint: String = "F",
        at createdAtMs: Int64 = now
    ) -> PushPublish {
        PushPublish(
            appID: app,
            publishID: id,
            recipients: recipients,
            payload: PushPayload(title: "Hello", body: "World", data: ["n": 1]),
            idempotencyKey: key,
            fingerprint: fingerprint,
            createdAtMs: createdAtMs,
            expiresAtMs: createdAtMs + 3_600_000
        )
    }
}

extension Admission {
    /// The planned count of an accepted or duplicate admission; nil for a conflict.
    var planned: Int? {
        switch self {
        case .accepted(let planned): planned
        case .duplicate(_, let planned): planned
        case .conflict: nil
        }
    }
}
