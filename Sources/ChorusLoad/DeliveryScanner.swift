/// Finds the sequence number and send time of a delivered event in the raw text frame, whether
/// `data` arrived double encoded (`\"seq\":12`) or as an object (`"seq":12`).
///
/// Ten thousand subscribers each receive every event, so this runs once per delivery and must be
/// cheap: one forward pass, no allocation, no JSON decoding.
public enum DeliveryScanner {
    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")
    private static let colon = UInt8(ascii: ":")

    /// The ``EventPayload`` in `frame`, `nil` when it carries none.
    public static func scan(_ frame: UnsafeRawBufferPointer) -> EventPayload? {
        guard let seqEnd = valueStart(after: "seq", in: frame, from: 0),
            let (sequence, afterSequence) = number(in: frame, at: seqEnd),
            let timeEnd = valueStart(after: "t", in: frame, from: afterSequence),
            let (sentAt, _) = number(in: frame, at: timeEnd)
        else { return nil }
        return EventPayload(sequence: Int64(bitPattern: sequence), sentAt: sentAt)
    }

    /// Index just past `"key":` or `"key\":`, searching from `start`.
    private static func valueStart(after key: StaticString, in frame: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let keyLength = key.utf8CodeUnitCount
        let keyBytes = UnsafeRawBufferPointer(start: key.utf8Start, count: keyLength)
        var index = start
        let end = frame.count
        while index + keyLength + 2 < end {
            defer { index += 1 }
            guard frame[index] == quote, frame[index + 1] == keyBytes[0] else { continue }
            var cursor = index + 1
            var matched = true
            for offset in 0..<keyLength where frame[cursor + offset] != keyBytes[offset] {
                matched = false
                break
            }
            guard matched else { continue }
            cursor += keyLength
            if cursor < end, frame[cursor] == backslash { cursor += 1 }
            guard cursor + 1 < end, frame[cursor] == quote, frame[cursor + 1] == colon else { continue }
            return cursor + 2
        }
        return nil
    }

    /// The unsigned decimal at `index` and the index after it.
    private static func number(in frame: UnsafeRawBufferPointer, at index: Int) -> (UInt64, Int)? {
        var value: UInt64 = 0
        var cursor = index
        while cursor < frame.count {
            let digit = frame[cursor] &- UInt8(ascii: "0")
            guard digit < 10 else { break }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            cursor += 1
        }
        return cursor == index ? nil : (value, cursor)
    }
}
