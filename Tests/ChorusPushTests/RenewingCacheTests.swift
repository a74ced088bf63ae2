import ChorusProtocol
import ChorusPush
import ChorusPushProviders
import Crypto
import Synchronization
import Testing

@Suite struct RenewingCacheTests {
    @Test func aValueIsKeptUntilItsRenewalThenDerivedAgain() async throws {
        let time = TestProviderClock()
        let cache = RenewingCache<String, Int>(clock: time.clock)
        let derivations = Derivations()
        let make: @Sendable () async throws -> Renewable<Int> = {
            Renewable(value: derivations.count(), renewAt: time.now + 100)
        }
        #expect(try await cache.value(for: "k", make: make) == 1)
        time.advance(by: 99)
        #expect(try await cache.value(for: "k", make: make) == 1)
        time.advance(by: 1)
        #expect(try await cache.value(for: "k", make: make) == 2)
        #expect(try await cache.value(for: "other", make: make) == 3)
        await cache.invalidate(1, for: "k")
        #expect(try await cache.value(for: "k", make: make) == 2)
        await cache.invalidate(2, for: "k")
        #expect(try await cache.value(for: "k", make: make) == 4)
    }

    @Test func concurrentCallersShareOneDerivation() async throws {
        let cache = RenewingCache<String, Int>(clock: TestProviderClock().clock)
        let derivations = Derivations()
        let (gate, open) = AsyncStream<Void>.makeStream()
        let make: @Sendable () async throws -> Renewable<Int> = {
            _ = derivations.count()
            for await _ in gate { break }
            return Renewable(value: 7, renewAt: .infinity)
        }
        let values = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 { group.addTask { try await cache.value(for: "k", make: make) } }
            // The derivation is under way before it is let through: every caller shares it or its result.
            while derivations.total == 0 { await Task.yield() }
            open.yield()
            open.finish()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values == Array(repeating: 7, count: 20))
        #expect(derivations.total == 1)
    }

    @Test func aFailedDerivationIsNotCached() async throws {
        struct Refused: Error {}
        let cache = RenewingCache<String, Int>(clock: TestProviderClock().clock)
        await #expect(throws: Refused.self) {
            try await cache.value(for: "k") { throw Refused() }
        }
        #expect(try await cache.value(for: "k") { Renewable(value: 1, renewAt: .infinity) } == 1)
    }

    @Test func theAPNsProviderTokenIsRenewedAfterFiftyMinutes() async throws {
        let time = TestProviderClock()
        let cache = RenewingCache<APNsCredential, String>(clock: time.clock)
        let credential = APNsCredential(
            teamID: "T",
            keyID: "K",
            privateKey: P256.Signing.PrivateKey().pemRepresentation,
            topic: "t",
            environment: .production
        )
        let make: @Sendable () async throws -> Renewable<String> = {
            try APNsProviderToken.sign(credential, now: time.now)
        }
        let first = try await cache.value(for: credential, make: make)
        time.advance(by: 49 * 60)
        #expect(try await cache.value(for: credential, make: make) == first)
        time.advance(by: 60)
        let renewed = try await cache.value(for: credential, make: make)
        #expect(renewed != first)
        let claims = try CompactJWSTests.Parts(renewed).claims
        #expect(claims["iat"] == .integer(Int64(time.now)))
    }
}

/// How many times a test's derivation ran.
private final class Derivations: Sendable {
    private let runs = Mutex(0)

    var total: Int { runs.withLock { $0 } }

    /// Counts one more run and returns the new total.
    func count() -> Int {
        runs.withLock { runs in
            runs += 1
            return runs
        }
    }
}
