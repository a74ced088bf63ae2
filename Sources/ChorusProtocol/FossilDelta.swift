/// The delta format of the Fossil SCM: what turns one byte sequence (the source) into another (the
/// target), written so that `fossil test-delta-apply` reads what ``create(from:to:)`` writes and
/// ``apply(_:to:)`` reads what `fossil test-delta-create` writes.
///
/// A delta is the target length, `\n`, then commands — `COUNT@OFFSET,` copies COUNT bytes of the
/// source from OFFSET, `COUNT:BYTES` inserts COUNT literal bytes — and ends with `CHECKSUM;`, a
/// 32-bit sum of the target's big-endian words. Numbers are written in a 64-digit alphabet, most
/// significant digit first.
public enum FossilDelta {
    /// The name carried in `pusher:delta` frames.
    public static let algorithm = "fossil"

    /// Source blocks of this many bytes are hashed; a shorter match is never worth a copy.
    static let window = 16
    /// How many earlier source blocks with the same hash are tried before giving up.
    static let maximumCandidates = 64

    /// A delta that turns `source` into `target`.
    public static func create(from source: [UInt8], to target: [UInt8]) -> [UInt8] {
        var delta: [UInt8] = []
        delta.reserveCapacity(target.count / 4 + 32)
        appendNumber(target.count, to: &delta)
        delta.append(UInt8(ascii: "\n"))
        source.withUnsafeBufferPointer { source in
            target.withUnsafeBufferPointer { target in
                appendCommands(from: source, to: target, into: &delta)
            }
        }
        appendNumber(Int(checksum(target)), to: &delta)
        delta.append(UInt8(ascii: ";"))
        return delta
    }

    private static func appendCommands(
        from source: UnsafeBufferPointer<UInt8>,
        to target: UnsafeBufferPointer<UInt8>,
        into delta: inout [UInt8]
    ) {
        guard source.count >= window, target.count >= window else {
            appendInsert(target[...], to: &delta)
            return
        }
        // Hash every whole block of the source; chain blocks whose hashes share a bucket.
        let blocks = source.count / window
        var buckets = 1
        while buckets < blocks * 2 { buckets <<= 1 }
        var heads = [Int32](repeating: -1, count: buckets)
        var chain = [Int32](repeating: -1, count: blocks)
        for block in 0..<blocks {
            let bucket = Int(RollingHash(source, at: block * window).value) & (buckets - 1)
            chain[block] = heads[bucket]
            heads[bucket] = Int32(block)
        }

        var literalStart = 0
        var position = 0
        var hash = RollingHash(target, at: 0)
        while position + window <= target.count {
            var bestLength = 0
            var bestSource = 0
            var bestTarget = 0
            var block = heads[Int(hash.value) & (buckets - 1)]
            var tries = 0
            while block >= 0, tries < maximumCandidates {
                tries += 1
                let start = Int(block) * window
                var forward = 0
                while start + forward < source.count, position + forward < target.count,
                    source[start + forward] == target[position + forward]
                {
                    forward += 1
                }
                var backward = 0
                while backward < start, position - backward > literalStart,
                    source[start - backward - 1] == target[position - backward - 1]
                {
                    backward += 1
                }
                let length = forward + backward
                if length > bestLength {
                    bestLength = length
                    bestSource = start - backward
                    bestTarget = position - backward
                }
                block = chain[Int(block)]
            }
            // A copy costs its two numbers and two punctuation bytes; only take it if shorter.
            if bestLength >= window, bestLength > digitCount(bestLength) + digitCount(bestSource) + 2 {
                if bestTarget > literalStart { appendInsert(target[literalStart..<bestTarget], to: &delta) }
                appendNumber(bestLength, to: &delta)
                delta.append(UInt8(ascii: "@"))
                appendNumber(bestSource, to: &delta)
                delta.append(UInt8(ascii: ","))
                position = bestTarget + bestLength
                literalStart = position
                if position + window <= target.count { hash = RollingHash(target, at: position) }
            } else {
                if position + window < target.count { hash.roll(out: target[position], in: target[position + window]) }
                position += 1
            }
        }
        if literalStart < target.count { appendInsert(target[literalStart...], to: &delta) }
    }

    /// Rebuilds the target from `source` and a delta; throws when the delta is malformed, reaches
    /// outside the source, or its length or checksum does not match what it produced.
    public static func apply(_ delta: [UInt8], to source: [UInt8]) throws(FossilDeltaError) -> [UInt8] {
        var reader = DeltaReader(bytes: delta)
        let length = try reader.number()
        guard try reader.byte() == UInt8(ascii: "\n") else { throw .malformed("no newline after the target length") }
        var target: [UInt8] = []
        // The declared length is only a promise: reserve no more than a delta of this size can
        // plausibly produce, so a forged header cannot ask for petabytes.
        target.reserveCapacity(min(length, source.count + delta.count))
        while !reader.isAtEnd {
            let count = try reader.number()
            switch try reader.byte() {
            case UInt8(ascii: "@"):
                let offset = try reader.number()
                guard try reader.byte() == UInt8(ascii: ",") else { throw .malformed("no ',' after a copy offset") }
                guard offset + count <= source.count else {
                    throw .outOfRange("copy \(count)@\(offset) passes the source end")
                }
                guard target.count + count <= length else { throw .outOfRange("copy passes the target length") }
                target.append(contentsOf: source[offset..<(offset + count)])
            case UInt8(ascii: ":"):
                guard target.count + count <= length else { throw .outOfRange("insert passes the target length") }
                target.append(contentsOf: try reader.bytes(count))
            case UInt8(ascii: ";"):
                guard target.count == length else {
                    throw .mismatch("produced \(target.count) bytes; the delta promised \(length)")
                }
                guard UInt32(truncatingIfNeeded: count) == checksum(target) else { throw .mismatch("checksum differs") }
                return target
            case let other:
                throw .malformed("unexpected byte \(other) after a number")
            }
        }
        throw .malformed("no terminating checksum")
    }

    /// The sum of the bytes as big-endian 32-bit words, the last word padded with zeros.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var sum: UInt32 = 0
        var index = 0
        while index + 4 <= bytes.count {
            let word =
                UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8
                | UInt32(bytes[index + 3])
            sum &+= word
            index += 4
        }
        var shift: UInt32 = 24
        while index < bytes.count {
            sum &+= UInt32(bytes[index]) << shift
            shift -= 8
            index += 1
        }
        return sum
    }

    static let digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~".utf8)

    /// The digit value of each byte, or -1.
    static let digitValues: [Int8] = {
        var values = [Int8](repeating: -1, count: 256)
        for (value, digit) in digits.enumerated() { values[Int(digit)] = Int8(value) }
        return values
    }()

    static func appendNumber(_ number: Int, to bytes: inout [UInt8]) {
        var shift = (digitCount(number) - 1) * 6
        while shift >= 0 {
            bytes.append(digits[(number >> shift) & 63])
            shift -= 6
        }
    }

    static func digitCount(_ number: Int) -> Int {
        var count = 1
        while number >> (count * 6) > 0 { count += 1 }
        return count
    }

    private static func appendInsert(_ literal: Slice<UnsafeBufferPointer<UInt8>>, to delta: inout [UInt8]) {
        appendNumber(literal.count, to: &delta)
        delta.append(UInt8(ascii: ":"))
        delta.append(contentsOf: literal)
    }

    /// An Adler-style sum over a window of ``window`` bytes that slides one byte at a time.
    struct RollingHash {
        var a: UInt16 = 0
        var b: UInt16 = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) {
            for offset in 0..<FossilDelta.window {
                let byte = UInt16(bytes[start + offset])
                a &+= byte
                b &+= UInt16(FossilDelta.window - offset) &* byte
            }
        }

        mutating func roll(out old: UInt8, in new: UInt8) {
            a = a &- UInt16(old) &+ UInt16(new)
            b = b &- UInt16(FossilDelta.window) &* UInt16(old) &+ a
        }

        var value: UInt32 { UInt32(a) | UInt32(b) << 16 }
    }

    struct DeltaReader {
        let bytes: [UInt8]
        var index = 0

        var isAtEnd: Bool { index >= bytes.count }

        mutating func byte() throws(FossilDeltaError) -> UInt8 {
            guard index < bytes.count else { throw .malformed("ends early") }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func number() throws(FossilDeltaError) -> Int {
            var value = 0
            var count = 0
            while index < bytes.count, case let digit = FossilDelta.digitValues[Int(bytes[index])], digit >= 0 {
                guard count < 10 else { throw .malformed("number too long") }
                value = value << 6 | Int(digit)
                count += 1
                index += 1
            }
            guard count > 0 else { throw .malformed("a number was expected at byte \(index)") }
            return value
        }

        mutating func bytes(_ count: Int) throws(FossilDeltaError) -> ArraySlice<UInt8> {
            guard index + count <= bytes.count else { throw .malformed("an insert passes the delta end") }
            defer { index += count }
            return bytes[index..<(index + count)]
        }
    }
}

/// Why a delta could not be applied.
public enum FossilDeltaError: Error, Sendable, Hashable, CustomStringConvertible {
    case malformed(String)
    case outOfRange(String)
    case mismatch(String)

    public var description: String {
        switch self {
        case .malformed(let reason): "malformed delta: \(reason)"
        case .outOfRange(let reason): "delta out of range: \(reason)"
        case .mismatch(let reason): "delta result mismatch: \(reason)"
        }
    }
}
