package import Foundation

/// A calendar day in UTC, the period of a daily message quota: it begins at 00:00 UTC.
package struct UTCDay: Sendable, Hashable, Comparable {
    private static let secondsPerDay = 86_400

    /// Days since 1970-01-01.
    package var number: Int

    package init(number: Int) {
        self.number = number
    }

    /// The day `date` falls on.
    package init(containing date: Date) {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        number = seconds >= 0 ? seconds / Self.secondsPerDay : (seconds + 1) / Self.secondsPerDay - 1
    }

    /// `yyyy-MM-dd`, the key of the day's row in the usage store.
    package var key: String {
        // Days to a civil date (proleptic Gregorian), after H. Hinnant's `civil_from_days`.
        let shifted = number + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return "\(year)-\(Self.twoDigits(month))-\(Self.twoDigits(day))"
    }

    /// Whole seconds from `date` until the next 00:00 UTC (1 at the least), for `Retry-After`.
    package static func secondsUntilMidnight(after date: Date) -> Int {
        let next = Double((UTCDay(containing: date).number + 1) * secondsPerDay)
        return max(1, Int((next - date.timeIntervalSince1970).rounded(.up)))
    }

    package static func < (lhs: UTCDay, rhs: UTCDay) -> Bool { lhs.number < rhs.number }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
