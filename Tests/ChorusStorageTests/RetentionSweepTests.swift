import ChorusHistory
import ChorusStorage
import Logging
import Testing

/// The background sweep applies each app's policy through `trim`.
@Suite struct RetentionSweepTests {
    @Test(arguments: StoreMaker.all)
    func aSweepTrimsEachAppByCountAndAge(maker: StoreMaker) async throws {
        try await withStore(maker) { fixture in
            let counted = fixture.channel("hist-counted")
            let aged = ChannelRef(appID: fixture.app + "-aged", channel: "hist-aged")
            let untouched = ChannelRef(appID: fixture.app + "-free", channel: "hist-free")
            _ = try await fixture.store.append(Samples.publishes(counted, 10, firstMs: 50_000))
            // Published at 1_000 … 1_009 ms; "now" is 11_005 ms, a 10 s age limit keeps 1_005 on.
            _ = try await fixture.store.append(Samples.publishes(aged, 10))
            _ = try await fixture.store.append(Samples.publishes(untouched, 10))
            let sweep = RetentionSweep(
                store: fixture.store,
                policies: [
                    RetentionPolicy(appID: fixture.app, maxMessages: 3, maxAgeSeconds: 3_600),
                    RetentionPolicy(appID: fixture.app + "-aged", maxMessages: 100, maxAgeSeconds: 10),
                ],
                interval: .seconds(60),
                clock: ContinuousClock(),
                now: { 11_005 },
                logger: Logger(label: "chorus.storage.tests")
            )
            #expect(await sweep.sweep() == 7 + 5)
            #expect(try await fixture.store.allSerials(counted, direction: .oldestFirst) == [8, 9, 10])
            #expect(try await fixture.store.allSerials(aged, direction: .oldestFirst) == [6, 7, 8, 9, 10])
            #expect(try await fixture.store.allSerials(untouched, direction: .oldestFirst).count == 10)
            #expect(await sweep.sweep() == 0)
        }
    }

    /// `run` sweeps at once and then every interval until cancelled.
    @Test func runSweepsUntilCancelled() async throws {
        try await withStore(.sqlite) { fixture in
            let chat = fixture.channel()
            let store = fixture.store
            let sweep = RetentionSweep(
                store: store,
                policies: [RetentionPolicy(appID: fixture.app, maxMessages: 2, maxAgeSeconds: 3_600)],
                interval: .milliseconds(5),
                clock: ContinuousClock(),
                now: { 1_000 },
                logger: Logger(label: "chorus.storage.tests")
            )
            let running = Task { await sweep.run() }
            // Publishes keep arriving; each sweep brings the channel back to its newest two.
            for round in 0..<3 {
                _ = try await store.append(Samples.publishes(chat, 5, prefix: "r\(round)-"))
                while try await store.allSerials(chat, direction: .oldestFirst).count > 2 {
                    await Task.yield()
                }
            }
            running.cancel()
            await running.value
            #expect(try await store.allSerials(chat, direction: .oldestFirst) == [14, 15])
        }
    }
}
