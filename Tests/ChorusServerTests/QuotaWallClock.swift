import Foundation
import Synchronization

/// A wall clock a quota test sets by hand, so a test crosses midnight UTC without waiting.
final class QuotaWallClock: Sendable {
    /// 2026-11-30T00:00:00Z.
    static let midnight = Date(timeIntervalSince1970: 1_795_996_800)

    private let date: Mutex<Date>

    init(_ date: Date = QuotaWallClock.midnight) {
        self.date = Mutex(date)
    }

    func now() -> Date { date.withLock { $0 } }

    func set(_ date: Date) { self.date.withLock { $0 = date } }
}
