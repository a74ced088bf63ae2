import ChorusPush
import ChorusStorage
import Testing

/// Admission: recipients resolved to registered devices once each, idempotency keys honoured.
@Suite struct PushAdmissionContractTests {
    @Test(arguments: PushStoreMaker.all)
    func aChannelReachesItsDevicesDirectlyAndThroughTheirClients(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            try await fixture.register("d1")
            try await fixture.register("d2", client: "alice")
            try await fixture.register("d3", client: "alice", platform: .apns)
            try await fixture.register("d4", client: "bob")
            try await fixture.register("d5")
            #expect(try await fixture.subscribe("news", device: "d1"))
            #expect(try await fixture.subscribe("news", device: "d2"))
            #expect(try await fixture.subscribe("news", client: "alice"))
            #expect(try await fixture.subscribe("sport", device: "d5"))
            let admission = try await fixture.admit(fixture.publish("p1", [.channel("news")]))
            #expect(admission == .accepted(plannedRecipients: 3))
            let status = try #require(try await fixture.store.status(appID: fixture.app, publishID: "p1"))
            #expect(status.state == .accepted)
            #expect(status.publish == fixture.publish("p1", [.channel("news")]))
            #expect(
                status.recipients == [
                    RecipientDelivery(deviceID: "d1", platform: .fcm),
                    RecipientDelivery(deviceID: "d2", platform: .fcm),
                    RecipientDelivery(deviceID: "d3", platform: .apns),
                ]
            )
        }
    }

    @Test(arguments: PushStoreMaker.all)
    func devicesAndClientsResolveOnceEachAndUnknownOnesAreIgnored(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            try await fixture.register("d1", client: "alice")
            try await fixture.register("d2", client: "alice")
            try await fixture.register("d3", client: "bob")
            try await fixture.register("d4")
            #expect(try await fixture.subscribe("news", device: "d4"))
            let recipients: [PushRecipient] = [
                .device("d1"), .device("ghost"), .client("alice"), .client("nobody"), .device("d3"), .channel("news"),
                .channel("empty"), .device("d1"),
            ]
            #expect(try await fixture.admit(fixture.publish("p1", recipients)) == .accepted(plannedRecipients: 4))
            let status = try #require(try await fixture.store.status(appID: fixture.app, publishID: "p1"))
            #expect(status.recipients.map(\.deviceID) == ["d1", "d2", "d3", "d4"])
            #expect(status.publish.recipients == recipients)
            #expect(
                try await fixture.admit(fixture.publish("p2", [.client("alice")])) == .accepted(plannedRecipients: 2)
            )
            #expect(try await fixture.admit(fixture.publish("p3", [.device("d4")])) == .accepted(plannedRecipients: 1))
        }
    }

    @Test(arguments: PushStoreMaker.all)
    func aPublishWithNobodyToReachSucceedsAtOnce(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            #expect(
                try await fixture.admit(fixture.publish("p0", [.channel("void")])) == .accepted(plannedRecipients: 0)
            )
            let status = try #require(try await fixture.store.status(appID: fixture.app, publishID: "p0"))
            #expect(status.state == .succeeded)
            #expect(status.recipients.isEmpty)
            #expect(!(try await fixture.store.unfinishedPublishes()).contains(fixture.ref("p0")))
            #expect(try await fixture.store.status(appID: fixture.app, publishID: "unknown") == nil)
        }
    }

    @Test(arguments: PushStoreMaker.all)
    func aRepeatedKeyAnswersTheFirstPublishOrAConflict(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            try await fixture.register("d1")
            try await fixture.register("d2")
            let first = fixture.publish("p1", [.device("d1"), .device("d2")], key: "k", fingerprint: "A")
            #expect(try await fixture.admit(first, since: PushSamples.now - 10) == .accepted(plannedRecipients: 2))
            // Recipients registered since do not change what the repeat answers.
            try await fixture.register("d3")
            let again = fixture.publish(
                "p2",
                [.device("d1"), .device("d2")],
                key: "k",
                fingerprint: "A",
                at: PushSamples.now + 5
            )
            #expect(
                try await fixture.admit(again, since: PushSamples.now - 10) == .duplicate(first, plannedRecipients: 2)
            )
            #expect(try await fixture.store.status(appID: fixture.app, publishID: "p2") == nil)
            let other = fixture.publish("p3", [.device("d3")], key: "k", fingerprint: "B", at: PushSamples.now + 6)
            #expect(try await fixture.admit(other, since: PushSamples.now - 10) == .conflict)
            #expect(try await fixture.store.status(appID: fixture.app, publishID: "p3") == nil)
            // Another key, or the same key in another app, is a publish of its own.
            let otherKey = fixture.publish("p4", [.device("d3")], key: "k2", fingerprint: "A")
            #expect(try await fixture.admit(otherKey, since: PushSamples.now - 10) == .accepted(plannedRecipients: 1))
            var otherApp = first
            otherApp.appID = "other-\(fixture.app)"
            #expect(try await fixture.store.admit(otherApp, idempotencySinceMs: 0) == .accepted(plannedRecipients: 0))
        }
    }

    @Test(arguments: PushStoreMaker.all)
    func aKeyOlderThanTheWindowIsForgotten(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            try await fixture.register("d1")
            let old = fixture.publish("p1", [.device("d1")], key: "k", fingerprint: "A", at: PushSamples.now - 100)
            #expect(try await fixture.admit(old, since: 0) == .accepted(plannedRecipients: 1))
            let later = fixture.publish("p2", [.device("d1")], key: "k", fingerprint: "B", at: PushSamples.now)
            #expect(try await fixture.admit(later, since: PushSamples.now - 50) == .accepted(plannedRecipients: 1))
            // Now the newer one answers for the key.
            let repeatOfLater = fixture.publish(
                "p3",
                [.device("d1")],
                key: "k",
                fingerprint: "B",
                at: PushSamples.now + 1
            )
            #expect(
                try await fixture.admit(repeatOfLater, since: PushSamples.now - 50)
                    == .duplicate(later, plannedRecipients: 1)
            )
        }
    }
}
