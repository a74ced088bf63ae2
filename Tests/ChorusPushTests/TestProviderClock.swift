import ChorusPushProviders
import Synchronization

/// A wall clock the test moves by hand.
final class TestProviderClock: Sendable {
    private let seconds: Mutex<Double>

    init(_ seconds: Double = 1_800_000_000) {
        self.seconds = Mutex(seconds)
    }

    var now: Double { seconds.withLock { $0 } }

    func advance(by delta: Double) {
        seconds.withLock { $0 += delta }
    }

    var clock: ProviderClock { ProviderClock { self.now } }
}
