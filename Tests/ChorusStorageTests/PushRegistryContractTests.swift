import ChorusProtocol
import ChorusPush
import ChorusStorage
import Testing

/// Devices, channel subscriptions and credentials: the same answers from every backend.
@Suite struct PushRegistryContractTests {
    @Test(arguments: PushStoreMaker.all)
    func registeringTellsCreatedUpdatedUnchanged(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { (fixture: PushFixture) async throws in
            let store = fixture.store
            var device = PushSamples.device(fixture.app, "d1", client: "alice", metadata: ["model": "x", "n": 2])
            #expect(try await store.register(device) == .created)
            device.updatedAtMs += 5
            #expect(try await store.register(device) == .unchanged)
            #expect(try await store.device(appID: fixture.app, deviceID: "d1")?.updatedAtMs == 1_000)
            device.token = .token("rotated")
            #expect(try await store.register(device) == .updated)
            device.metadata = nil
            device.clientID = nil
            #expect(try await store.register(device) == .updated)
            #expect(try await store.device(appID: fixture.app, deviceID: "d1") == device)
            #expect(try await store.device(appID: fixture.app, deviceID: "nobody") == nil)
        }
    }

    @Test(arguments: PushStoreMaker.all)
    func tokensAndMetadataComeBackAsRegistered(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            let devices = [
                PushSamples.device(fixture.app, "a-apns", client: "c", platform: .apns, metadata: ["os": "ios"]),
                PushSamples.device(fixture.app, "b-fcm", platform: .fcm),
                PushSamples.device(
                    fixture.app,
                    "c-web",
                    platform: .webPush,
                    metadata: ["nested": ["list": [1, .double(2.5), true, nil]]]
                ),
            ]
            for device in devices {
                #expect(try await fixture.store.register(device) == .created)
            }
            for device in devices {
                #expect(try await fixture.store.device(appID: fixture.app, deviceID: device.deviceID) == device)
            }
            let listed = try await fixture.store.devices(appID: fixture.app, clientID: nil, after: nil, limit: 10)
            #expect(listed == devices)
        }
    }

    @Test(arguments: PushStoreMaker.all)
    func devicesPageByIDAndFilterByClient(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            for index in 0..<5 {
                try await fixture.register("d\(index)", client: index % 2 == 0 ? "even" : "odd")
            }
            let store = fixture.store
            let first = try await store.devices(appID: fixture.app, clientID: nil, after: nil, limit: 2)
            #expect(first.map(\.deviceID) == ["d0", "d1"])
            let next = try await store.devices(appID: fixture.app, clientID: nil, after: "d1", limit: 10)
            #expect(next.map(\.deviceID) == ["d2", "d3", "d4"])
            let even = try await store.devices(appID: fixture.app, clientID: "even", after: "d0", limit: 10)
            #expect(even.map(\.deviceID) == ["d2", "d4"])
            #expect(
                try await store.devices(appID: "other-\(fixture.app)", clientID: nil, after: nil, limit: 10).isEmpty
            )
        }
    }

    @Test(arguments: PushStoreMaker.all)
    func deletingADeviceDropsItsSubscriptions(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            try await fixture.register("d1", client: "alice")
            try await fixture.register("d2")
            #expect(try await fixture.subscribe("news", device: "d1"))
            #expect(try await fixture.subscribe("sport", device: "d1"))
            #expect(try await fixture.subscribe("news", device: "d2"))
            #expect(try await fixture.subscribe("news", client: "alice"))
            #expect(try await fixture.store.deleteDevice(appID: fixture.app, deviceID: "d1"))
            #expect(try await !fixture.store.deleteDevice(appID: fixture.app, deviceID: "d1"))
            #expect(try await fixture.store.device(appID: fixture.app, deviceID: "d1") == nil)
            let left = try await fixture.store.subscriptions(
                SubscriptionFilter(appID: fixture.app),
                after: nil,
                limit: 10
            )
            #expect(
                left == [
                    ChannelSubscription(appID: fixture.app, channel: "news", deviceID: nil, clientID: "alice"),
                    ChannelSubscription(appID: fixture.app, channel: "news", deviceID: "d2", clientID: nil),
                ]
            )
        }
    }

    @Test(arguments: PushStoreMaker.all)
    func deletingAClientsDevicesDropsTheirSubscriptions(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            try await fixture.register("d1", client: "alice")
            try await fixture.register("d2", client: "alice")
            try await fixture.register("d3", client: "bob")
            #expect(try await fixture.subscribe("news", device: "d1"))
            #expect(try await fixture.subscribe("news", device: "d3"))
            #expect(try await fixture.store.deleteDevices(appID: fixture.app, clientID: "alice") == 2)
            #expect(try await fixture.store.deleteDevices(appID: fixture.app, clientID: "alice") == 0)
            let left = try await fixture.store.devices(appID: fixture.app, clientID: nil, after: nil, limit: 10)
            #expect(left.map(\.deviceID) == ["d3"])
            let subscriptions = try await fixture.store.subscriptions(
                SubscriptionFilter(appID: fixture.app),
                after: nil,
                limit: 10
            )
            #expect(subscriptions.map(\.deviceID) == ["d3"])
        }
    }

    @Test(arguments: PushStoreMaker.all)
    func subscribingAnUnknownDeviceStoresNothing(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            #expect(try await !fixture.subscribe("news", device: "ghost"))
            #expect(try await fixture.subscribe("news", client: "nobody-yet"))
            try await fixture.register("d1")
            #expect(try await fixture.subscribe("news", device: "d1"))
            #expect(try await fixture.subscribe("news", device: "d1"))
            let all = try await fixture.store.subscriptions(
                SubscriptionFilter(appID: fixture.app),
                after: nil,
                limit: 10
            )
            #expect(all.count == 2)
        }
    }

    @Test(arguments: PushStoreMaker.all)
    func subscriptionsFilterPageAndUnsubscribe(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            try await fixture.register("d1", client: "alice")
            try await fixture.register("d2")
            for channel in ["b-news", "a-sport", "c-tech"] {
                #expect(try await fixture.subscribe(channel, device: "d1"))
                #expect(try await fixture.subscribe(channel, device: "d2"))
            }
            #expect(try await fixture.subscribe("b-news", client: "alice"))
            #expect(try await fixture.subscribe("b-news", device: "d1", client: "alice"))
            let app = fixture.app
            let store = fixture.store
            func sub(_ channel: String, _ device: String?, _ client: String?) -> ChannelSubscription {
                ChannelSubscription(appID: app, channel: channel, deviceID: device, clientID: client)
            }
            let expected = [
                sub("a-sport", "d1", nil), sub("a-sport", "d2", nil), sub("b-news", nil, "alice"),
                sub("b-news", "d1", nil), sub("b-news", "d1", "alice"), sub("b-news", "d2", nil),
                sub("c-tech", "d1", nil), sub("c-tech", "d2", nil),
            ]
            var pages: [ChannelSubscription] = []
            var after: ChannelSubscription?
            while true {
                let page = try await store.subscriptions(SubscriptionFilter(appID: app), after: after, limit: 3)
                pages += page
                guard let last = page.last else { break }
                after = last
            }
            #expect(pages == expected)
            #expect(
                try await store.subscriptions(SubscriptionFilter(appID: app, channel: "b-news"), after: nil, limit: 10)
                    == Array(expected[2...5])
            )
            #expect(
                try await store.subscriptions(SubscriptionFilter(appID: app, deviceID: "d2"), after: nil, limit: 10)
                    == [sub("a-sport", "d2", nil), sub("b-news", "d2", nil), sub("c-tech", "d2", nil)]
            )
            #expect(
                try await store.subscriptions(SubscriptionFilter(appID: app, clientID: "alice"), after: nil, limit: 10)
                    == [sub("b-news", nil, "alice"), sub("b-news", "d1", "alice")]
            )
            #expect(try await store.subscribedChannels(appID: app, after: nil, limit: 2) == ["a-sport", "b-news"])
            #expect(try await store.subscribedChannels(appID: app, after: "b-news", limit: 2) == ["c-tech"])
            #expect(try await store.unsubscribe(SubscriptionFilter(appID: app, channel: "b-news", deviceID: "d1")) == 2)
            #expect(try await store.unsubscribe(SubscriptionFilter(appID: app, channel: "a-sport")) == 2)
            #expect(try await store.unsubscribe(SubscriptionFilter(appID: app, clientID: "alice")) == 1)
            #expect(try await store.subscribedChannels(appID: app, after: nil, limit: 10) == ["b-news", "c-tech"])
        }
    }

    @Test(arguments: PushStoreMaker.all)
    func credentialsKeepVersionsAndAnswerTheNewest(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            let store = fixture.store
            let app = fixture.app
            #expect(try await store.credentials(appID: app).isEmpty)
            let apns = PushCredential.apns(
                APNsCredential(teamID: "T", keyID: "K", privateKey: "PEM", topic: "com.x", environment: .sandbox)
            )
            let fcm1 = PushCredential.fcm(FCMCredential(serviceAccountJSON: #"{"a":1}"#, projectID: "p1"))
            let fcm2 = PushCredential.fcm(FCMCredential(serviceAccountJSON: #"{"a":2}"#, projectID: "p2"))
            let vapid = PushCredential.webPush(
                VAPIDCredential(publicKey: "pub", privateKey: "priv", subject: "mailto:a@b")
            )
            #expect(try await store.putCredential(appID: app, credential: fcm1, atMs: 1).version == 1)
            #expect(try await store.putCredential(appID: app, credential: apns, atMs: 2).version == 1)
            #expect(try await store.putCredential(appID: app, credential: fcm2, atMs: 3).version == 2)
            #expect(try await store.putCredential(appID: app, credential: vapid, atMs: 4).version == 1)
            let newest = try await store.credentials(appID: app)
            #expect(
                newest == [
                    StoredCredential(appID: app, credential: apns, version: 1, updatedAtMs: 2),
                    StoredCredential(appID: app, credential: fcm2, version: 2, updatedAtMs: 3),
                    StoredCredential(appID: app, credential: vapid, version: 1, updatedAtMs: 4),
                ]
            )
            #expect(try await store.credentials(appID: "other-\(app)").isEmpty)
        }
    }
}
