/// Comparisons of tag values that tag filters use, none of which allocates.
public enum TagText {
    /// Whether `text` holds `part` as a contiguous run of bytes.
    public static func contains(_ text: String, _ part: String) -> Bool {
        let haystack = text.utf8
        let needle = part.utf8
        guard !needle.isEmpty else { return true }
        guard needle.count <= haystack.count else { return false }
        let first = needle.first!
        var start = haystack.startIndex
        let lastStart = haystack.index(haystack.endIndex, offsetBy: -needle.count)
        while start <= lastStart {
            if haystack[start] == first, haystack[start...].starts(with: needle) { return true }
            start = haystack.index(after: start)
        }
        return false
    }

    /// Whether `text` ends with the bytes of `suffix`.
    public static func hasSuffix(_ text: String, _ suffix: String) -> Bool {
        let count = suffix.utf8.count
        guard count <= text.utf8.count else { return false }
        return text.utf8[text.utf8.index(text.utf8.endIndex, offsetBy: -count)...].elementsEqual(suffix.utf8)
    }

    /// Negative, zero or positive as `left` sorts before, with or after `right`: as numbers when
    /// both are decimal numbers, byte-wise otherwise.
    public static func order(_ left: String, _ right: String) -> Int {
        if let l = Double(left), let r = Double(right) {
            return l < r ? -1 : (l > r ? 1 : 0)
        }
        return order(bytes: left, right)
    }

    /// Byte-wise order of `left` and `right`.
    public static func order(bytes left: String, _ right: String) -> Int {
        var l = left.utf8.makeIterator()
        var r = right.utf8.makeIterator()
        while true {
            switch (l.next(), r.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let a?, let b?) where a != b: return a < b ? -1 : 1
            default: continue
            }
        }
    }
}
