import ChorusPush
import ChorusStorage
import Foundation
import Logging
import Testing

/// Several Chorus nodes on one PostgreSQL push store: the locks that keep them consistent.
@Suite(.enabled(if: StoreMaker.postgresURL != nil, "set CHORUS_TEST_POSTGRES_URL (scripts/lib/start-postgres.sh)"))
struct PushMultiNodeTests {
    let logger = Logger(label: "chorus.storage.tests")

    /// One idempotency key admitted by many callers on two nodes at once: one publish, every other
    /// answer a duplicate of it.
    @Test func oneKeyAdmittedEverywhereAtOnceIsOnePublish() async throws {
        let url = try #require(StoreMaker.postgresURL)
        let nodes = [
            try await PostgresPushStore(url: url, logger: logger),
            try await PostgresPushStore(url: url, logger: logger),
        ]
        let app = "app-\(UUID().uuidString)"
        _ = try await nodes[0].register(PushSamples.device(app, "d1"))
        let answers = try await withThrowingTaskGroup(of: Admission.self) { group in
            for caller in 0..<16 {
                group.addTask {
                    let publish = PushSamples.publish(app, "p\(caller)", [.device("d1")], key: "k", fingerprint: "A")
                    return try await nodes[caller % 2].admit(publish, idempotencySinceMs: 0)
                }
            }
            var answers: [Admission] = []
            for try await answer in group {
                answers.append(answer)
            }
            return answers
        }
        #expect(answers.count { $0 == .accepted(plannedRecipients: 1) } == 1)
        let duplicates = answers.compactMap { answer -> String? in
            guard case .duplicate(let publish, plannedRecipients: 1) = answer else { return nil }
            return publish.publishID
        }
        #expect(duplicates.count == 15)
        #expect(Set(duplicates).count == 1)
        for node in nodes {
            await node.close()
        }
    }

    /// Two nodes recording the last outcomes of one publish at the same time, half each: whichever
    /// commits last sees the other's outcomes and finishes the publish (without the publish lock,
    /// each would see the other's recipients still pending and neither would).
    @Test func outcomesRecordedByTwoNodesAtOnceFinishThePublish() async throws {
        let url = try #require(StoreMaker.postgresURL)
        let nodes = [
            try await PostgresPushStore(url: url, logger: logger),
            try await PostgresPushStore(url: url, logger: logger),
        ]
        let app = "app-\(UUID().uuidString)"
        let ids = (0..<100).map { String(format: "d%03d", $0) }
        for id in ids {
            _ = try await nodes[0].register(PushSamples.device(app, id))
        }
        for round in 0..<20 {
            let publishID = "p\(round)"
            let publish = PushSamples.publish(app, publishID, ids.map(PushRecipient.device))
            #expect(try await nodes[0].admit(publish, idempotencySinceMs: 0) == .accepted(plannedRecipients: 100))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, batch) in stride(from: 0, to: 100, by: 50).enumerated() {
                    group.addTask {
                        let outcomes = ids[batch..<batch + 50].map { id in
                            DeliveryOutcome(
                                publish: PublishRef(appID: app, publishID: publishID),
                                delivery: RecipientDelivery(
                                    deviceID: id,
                                    platform: .fcm,
                                    state: .succeeded,
                                    attempts: 1
                                )
                            )
                        }
                        try await nodes[index % 2].record(outcomes)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await nodes[1].status(appID: app, publishID: publishID)?.state == .succeeded)
        }
        for node in nodes {
            await node.close()
        }
    }
}
