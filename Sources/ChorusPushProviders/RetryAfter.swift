import Foundation

/// The `Retry-After` header (RFC 9110 §10.2.3): delay seconds or an HTTP date.
package enum RetryAfter {
    /// Seconds to wait from `now` (seconds since 1970); nil when absent or unreadable.
    package static func seconds(_ header: String?, now: Double) -> Double? {
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text) { return seconds >= 0 && seconds.isFinite ? seconds : nil }
        guard let date = httpDate(text) else { return nil }
        return max(0, date.timeIntervalSince1970 - now)
    }

    private static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
