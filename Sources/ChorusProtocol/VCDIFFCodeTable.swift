/// The default instruction code table of RFC 3284 section 5.6: what each of the 256 instruction
/// codes of a VCDIFF window stands for — one or two of ADD, RUN and COPY, each with a size (0: the
/// size follows as an integer) and, for COPY, an address mode.
///
/// The encoder computes the code of an instruction arithmetically (the ``addCode(size:)`` family);
/// the decoder looks codes up in ``entries``. Both follow the table's layout, so they agree.
enum VCDIFFCodeTable {
    /// What one half of a code stands for.
    enum Kind: UInt8 {
        case noop = 0
        case add = 1
        case run = 2
        case copy = 3
    }

    /// One half of a code: its kind, its size (0 when the size follows) and its COPY mode.
    struct Instruction: Hashable {
        var kind: Kind
        var size: UInt8
        var mode: UInt8

        static let noop = Instruction(kind: .noop, size: 0, mode: 0)
    }

    /// The two instructions of each code; the second is ``Instruction/noop`` for single ones.
    static let entries: [(first: Instruction, second: Instruction)] = {
        var entries: [(first: Instruction, second: Instruction)] = []
        entries.reserveCapacity(256)
        entries.append((Instruction(kind: .run, size: 0, mode: 0), .noop))
        for size in 0...17 {
            entries.append((Instruction(kind: .add, size: UInt8(size), mode: 0), .noop))
        }
        for mode in 0..<modeCount {
            entries.append((Instruction(kind: .copy, size: 0, mode: mode), .noop))
            for size in 4...18 {
                entries.append((Instruction(kind: .copy, size: UInt8(size), mode: mode), .noop))
            }
        }
        for mode in 0..<modeCount {
            for addSize in 1...4 {
                for copySize in 4...(mode < 6 ? 6 : 4) {
                    entries.append(
                        (
                            Instruction(kind: .add, size: UInt8(addSize), mode: 0),
                            Instruction(kind: .copy, size: UInt8(copySize), mode: mode)
                        )
                    )
                }
            }
        }
        for mode in 0..<modeCount {
            entries.append(
                (Instruction(kind: .copy, size: 4, mode: mode), Instruction(kind: .add, size: 1, mode: 0))
            )
        }
        precondition(entries.count == 256, "the default code table has 256 entries")
        return entries
    }()

    /// Address modes of the default cache: self, here, 4 near and 3 same.
    static let modeCount: UInt8 = 9

    /// The code of a lone ADD of `size` bytes; `sizeFollows` when the size must be written after it.
    static func addCode(size: Int) -> (code: UInt8, sizeFollows: Bool) {
        size <= 17 ? (UInt8(1 + size), false) : (1, true)
    }

    /// The code of a lone COPY of `size` bytes in `mode`.
    static func copyCode(size: Int, mode: UInt8) -> (code: UInt8, sizeFollows: Bool) {
        let base = 19 + 16 * Int(mode)
        return (4...18).contains(size) ? (UInt8(base + size - 3), false) : (UInt8(base), true)
    }

    /// The code of an ADD of `addSize` bytes followed by a COPY of `copySize` bytes in `mode`, if
    /// the table has one.
    static func addCopyCode(addSize: Int, copySize: Int, mode: UInt8) -> UInt8? {
        guard (1...4).contains(addSize) else { return nil }
        if mode < 6 {
            guard (4...6).contains(copySize) else { return nil }
            return UInt8(163 + 12 * Int(mode) + 3 * (addSize - 1) + copySize - 4)
        }
        guard copySize == 4 else { return nil }
        return UInt8(235 + 4 * Int(mode - 6) + addSize - 1)
    }
}
