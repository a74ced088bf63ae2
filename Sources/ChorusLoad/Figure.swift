import Foundation

/// How numbers are printed in summaries: integers plainly, fractions with up to three decimals.
enum Figure {
    static func text(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let magnitude = abs(value)
        return String(format: magnitude >= 100 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f", value)
    }

    static func text(_ value: Int64) -> String { String(value) }
}
