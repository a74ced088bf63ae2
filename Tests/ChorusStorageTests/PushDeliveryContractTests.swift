import ChorusPush
import ChorusStorage
import Foundation
import Testing

/// What the dispatcher reads and writes: pending deliveries, outcomes, terminal states, resumption.
@Suite struct PushDeliveryContractTests {
    @Test(arguments: PushStoreMaker.all)
    func pendingDeliveriesCarryTheCurrentTokenOrNil(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            try await fixture.register("d1")
            try await fixture.register("d2", platform: .webPush)
            try await fixture.register("d3")
            try await fixture.register("d4")
            let publish = fixture.publish("p1", [.device("d1"), .device("d2"), .device("d3"), .device("d4")])
            #expect(try await fixture.admit(publish) == .accepted(plannedRecipients: 4))
            var rotated = PushSamples.device(fixture.app, "d1")
            rotated.token = .token("rotated")
            #expect(try await fixture.store.register(rotated) == .updated)
            #expect(try await fixture.store.deleteDevice(appID: fixture.app, deviceID: "d3"))
            try await fixture.store.record([fixture.outcome("p1", "d4", .succeeded)])
            let store = fixture.store
            let first = try await store.pendingDeliveries(appID: fixture.app, publishID: "p1", after: nil, limit: 2)
            #expect(
                first == [
                    PendingDelivery(deviceID: "d1", platform: .fcm, token: .token("rotated")),
                    PendingDelivery(
                        deviceID: "d2",
                        platform: .webPush,
                        token: PushSamples.device(fixture.app, "d2", platform: .webPush).token
                    ),
                ]
            )
            let rest = try await store.pendingDeliveries(appID: fixture.app, publishID: "p1", after: "d2", limit: 2)
            #expect(rest == [PendingDelivery(deviceID: "d3", platform: .fcm, token: nil)])
            #expect(
                try await store.pendingDeliveries(appID: fixture.app, publishID: "nope", after: nil, limit: 2).isEmpty
            )
        }
    }

    @Test(arguments: PushStoreMaker.all)
    func recordingKeepsTheFirstOutcomeAndFinishesThePublish(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            for device in ["d1", "d2", "d3"] {
                try await fixture.register(device)
                #expect(try await fixture.subscribe("news", device: device))
            }
            #expect(
                try await fixture.admit(fixture.publish("p1", [.channel("news")])) == .accepted(plannedRecipients: 3)
            )
            try await fixture.store.startDispatch(appID: fixture.app, publishID: "p1")
            let store = fixture.store
            #expect(try await store.status(appID: fixture.app, publishID: "p1")?.state == .dispatching)
            let delivered = RecipientDelivery(
                deviceID: "d1",
                platform: .fcm,
                state: .succeeded,
                via: "log",
                attempts: 2
            )
            try await store.record([
                DeliveryOutcome(publish: fixture.ref("p1"), delivery: delivered),
                fixture.outcome("p1", "d1", .failed, error: "late"),
                fixture.outcome("p1", "d2", .failed, error: "device_unregistered", removeDevice: true),
            ])
            #expect(try await store.status(appID: fixture.app, publishID: "p1")?.state == .dispatching)
            #expect(try await store.device(appID: fixture.app, deviceID: "d2") == nil)
            #expect(
                try await store.subscriptions(
                    SubscriptionFilter(appID: fixture.app, deviceID: "d2"),
                    after: nil,
                    limit: 5
                )
                .isEmpty
            )
            // A second outcome for a terminal recipient changes nothing.
            try await store.record([
                fixture.outcome("p1", "d1", .expired), fixture.outcome("p1", "d3", .succeeded, error: nil),
            ])
            let status = try #require(try await store.status(appID: fixture.app, publishID: "p1"))
            #expect(status.state == .partiallySucceeded)
            #expect(
                status.recipients == [
                    delivered,
                    RecipientDelivery(
                        deviceID: "d2",
                        platform: .fcm,
                        state: .failed,
                        error: "device_unregistered",
                        attempts: 1
                    ),
                    RecipientDelivery(deviceID: "d3", platform: .fcm, state: .succeeded, attempts: 1),
                ]
            )
            try await store.startDispatch(appID: fixture.app, publishID: "p1")
            #expect(try await store.status(appID: fixture.app, publishID: "p1")?.state == .partiallySucceeded)
            #expect(
                try await store.pendingDeliveries(appID: fixture.app, publishID: "p1", after: nil, limit: 5).isEmpty
            )
        }
    }

    @Test(arguments: PushStoreMaker.all)
    func terminalStatesFollowTheRecipients(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            try await fixture.register("d1")
            try await fixture.register("d2")
            let cases: [(RecipientState, RecipientState, PublishState)] = [
                (.succeeded, .succeeded, .succeeded), (.failed, .failed, .failed), (.expired, .expired, .expired),
                (.failed, .expired, .failed), (.succeeded, .expired, .partiallySucceeded),
            ]
            for (index, (first, second, expected)) in cases.enumerated() {
                let id = "p\(index)"
                _ = try await fixture.admit(fixture.publish(id, [.device("d1"), .device("d2")]))
                try await fixture.store.record([fixture.outcome(id, "d1", first), fixture.outcome(id, "d2", second)])
                #expect(try await fixture.store.status(appID: fixture.app, publishID: id)?.state == expected)
            }
        }
    }

    @Test(arguments: PushStoreMaker.all)
    func unfinishedPublishesComeOldestFirstAndOldFinishedOnesAreTrimmed(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            try await fixture.register("d1")
            // Times of this test's own, far below the other tests' (the PostgreSQL database is shared).
            let base = Int64.random(in: 1_000...1_000_000_000) * 100
            let store = fixture.store
            _ = try await fixture.admit(fixture.publish("late", [.device("d1")], at: base + 20))
            _ = try await fixture.admit(fixture.publish("early", [.device("d1")], at: base + 10))
            _ = try await fixture.admit(fixture.publish("done", [.device("d1")], at: base + 5))
            _ = try await fixture.admit(fixture.publish("none", [.device("ghost")], at: base + 6))
            try await store.startDispatch(appID: fixture.app, publishID: "early")
            try await store.record([fixture.outcome("done", "d1", .succeeded)])
            let mine = try await store.unfinishedPublishes().filter { $0.appID == fixture.app }
            #expect(mine == [fixture.ref("early"), fixture.ref("late")])
            #expect(try await store.trimPublishes(beforeMs: base + 6) == 1)
            #expect(try await store.status(appID: fixture.app, publishID: "done") == nil)
            #expect(try await store.status(appID: fixture.app, publishID: "none") != nil)
            #expect(try await store.trimPublishes(beforeMs: base + 30) == 1)
            #expect(try await store.status(appID: fixture.app, publishID: "early") != nil)
            #expect(try await store.status(appID: fixture.app, publishID: "late") != nil)
            // A trimmed key is forgotten: the same key admits anew.
            let keyed = fixture.publish("k1", [.device("d1")], key: "k", at: base + 1)
            _ = try await fixture.admit(keyed)
            try await store.record([fixture.outcome("k1", "d1", .succeeded)])
            #expect(try await store.trimPublishes(beforeMs: base + 2) == 1)
            let again = fixture.publish("k2", [.device("d1")], key: "k", fingerprint: "other", at: base + 3)
            #expect(try await fixture.admit(again) == .accepted(plannedRecipients: 1))
        }
    }
}
