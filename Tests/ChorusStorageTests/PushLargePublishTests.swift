import ChorusPush
import ChorusStorage
import Foundation
import Testing

/// A publish to a channel with 10,000 subscribed devices, one backend at a time (serialized, so
/// the printed times are each backend's own, not a share of the machine).
@Suite(.serialized) struct PushLargePublishTests {
    /// 10,000 devices on one channel: admitted in one call, every outcome recorded in batches of
    /// 500, the publish finished. The elapsed times are printed, not asserted.
    @Test(arguments: PushStoreMaker.all)
    func tenThousandRecipientsAdmitAndRecordInBatches(maker: PushStoreMaker) async throws {
        try await withPushStore(maker) { fixture in
            let store = fixture.store
            let count = 10_000
            let ids = (0..<count).map { String(format: "dev-%05d", $0) }
            // Registered by 20 callers at once: PostgreSQL flushes their commits together.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for slice in stride(from: 0, to: count, by: 500) {
                    group.addTask {
                        for id in ids[slice..<slice + 500] {
                            _ = try await store.register(PushSamples.device(fixture.app, id))
                            _ = try await store.subscribe(
                                ChannelSubscription(appID: fixture.app, channel: "big", deviceID: id, clientID: nil)
                            )
                        }
                    }
                }
                try await group.waitForAll()
            }
            let clock = ContinuousClock()
            let admitStart = clock.now
            let admission = try await fixture.admit(fixture.publish("p-big", [.channel("big")]))
            let admitTime = clock.now - admitStart
            #expect(admission == .accepted(plannedRecipients: count))
            let recordStart = clock.now
            var after: String?
            var seen = 0
            while true {
                let page = try await store.pendingDeliveries(
                    appID: fixture.app,
                    publishID: "p-big",
                    after: after,
                    limit: 500
                )
                guard let last = page.last else { break }
                #expect(page.allSatisfy { $0.token == .token("token-\($0.deviceID)") })
                seen += page.count
                try await store.record(page.map { fixture.outcome("p-big", $0.deviceID, .succeeded) })
                after = last.deviceID
            }
            let recordTime = clock.now - recordStart
            #expect(seen == count)
            let status = try #require(try await store.status(appID: fixture.app, publishID: "p-big"))
            #expect(status.state == .succeeded)
            #expect(status.recipients.count == count)
            #expect(status.recipients.allSatisfy { $0.state == .succeeded })
            print(
                "push store \(maker.name): admitted \(count) recipients in \(admitTime), recorded them in \(recordTime)"
            )
        }
    }
}
