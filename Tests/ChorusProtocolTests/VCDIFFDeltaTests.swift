import ChorusProtocol
import ChorusTesting
import Foundation
import Testing

@Suite("VCDIFF delta")
struct VCDIFFDeltaTests {
    /// Inputs with a shape: (name, base, target).
    static let structured: [(String, [UInt8], [UInt8])] = {
        var rng = SplitMix(state: 11)
        let message = Array(VCDIFFDeltaTests.quote(bid: "1.08412", ask: "1.08431").utf8)
        let changed = Array(VCDIFFDeltaTests.quote(bid: "1.08413", ask: "1.08431").utf8)
        let random = (0..<4_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let other = (0..<3_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let large = (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var largeChanged = large
        for index in stride(from: 1_000, to: large.count, by: 4_099) { largeChanged[index] ^= 0x5A }
        largeChanged.insert(contentsOf: Array("inserted".utf8), at: 30_000)
        return [
            ("both empty", [], []),
            ("empty base", [], message),
            ("empty target", message, []),
            ("identical", message, message),
            ("market quote with one changed digit", message, changed),
            ("completely different", random, other),
            ("short target", message, Array("{}".utf8)),
            ("long run from nothing", [], [UInt8](repeating: 0x41, count: 10_000)),
            ("long run after a base", message, message + [UInt8](repeating: 0x20, count: 5_000) + message),
            ("64 KB with scattered changes", large, largeChanged),
            ("64 KB reversed halves", large, Array(large[32_768...] + large[..<32_768])),
        ]
    }()

    static func quote(bid: String, ask: String) -> String {
        #"{"event":"quote","channel":"market-EURUSD","data":{"symbol":"EURUSD","bid":\#(bid),"ask":\#(ask),"#
            + #""venue":"LMAX","ts":1732999999123,"depth":[{"px":1.0840,"qty":2500000},{"px":1.0839,"qty":4000000}]}}"#
    }

    @Test("create then apply gives back the target, for 500 random pairs")
    func roundTrip() throws {
        var rng = SplitMix(state: 7)
        for _ in 0..<500 {
            let (base, target) = FossilDeltaTests.pair(&rng)
            let delta = VCDIFFDelta.create(from: base, to: target)
            #expect(try VCDIFFDelta.apply(delta, to: base) == target)
        }
    }

    @Test("create then apply gives back the target for shaped inputs", arguments: 0..<structured.count)
    func roundTripStructured(index: Int) throws {
        let (name, base, target) = Self.structured[index]
        let delta = VCDIFFDelta.create(from: base, to: target)
        #expect(try VCDIFFDelta.apply(delta, to: base) == target, "\(name)")
    }

    @Test("runs and repeats are copied from the target itself")
    func selfCopies() {
        let target = [UInt8](repeating: 0x41, count: 10_000)
        #expect(VCDIFFDelta.create(from: [], to: target).count < 20)
    }

    @Test("a small change to a 1 KB message gives a delta a tenth of its size")
    func compact() throws {
        let base = Array(String(repeating: #"{"id":42,"name":"sensor","value":17.25},"#, count: 25).utf8)
        var target = base
        target.replaceSubrange(500..<505, with: Array("99.75".utf8))
        let delta = VCDIFFDelta.create(from: base, to: target)
        #expect(delta.count * 10 < target.count)
        #expect(try VCDIFFDelta.apply(delta, to: base) == target)
    }

    @Test("the documented format: header, source window, sections")
    func format() {
        let base = Array("0123456789abcdefghijklmnopqrstuv".utf8)
        let delta = VCDIFFDelta.create(from: base, to: base + Array("XYZ".utf8))
        // Window: VCD_SOURCE of 32 bytes at 0, 12 bytes of encoding, a target of 35, no
        // compression; 3 data bytes, 3 instruction bytes, 1 address byte. Instructions: COPY mode 0
        // with its size 32 following (code 19), ADD 3 (code 4); the address 0 in mode 0.
        let expected: [UInt8] =
            [0xD6, 0xC3, 0xC4, 0x00, 0x00, 0x01, 32, 0, 12, 35, 0x00, 3, 3, 1] + Array("XYZ".utf8) + [19, 32, 4, 0]
        #expect(delta == expected)
    }

    // MARK: Hand-built deltas for what the encoder never writes

    /// A header, then one window with the given parts.
    static func window(
        indicator: UInt8 = 0,
        segment: [UInt8] = [],
        targetLength: UInt8,
        checksum: [UInt8] = [],
        data: [UInt8],
        instructions: [UInt8],
        addresses: [UInt8] = []
    ) -> [UInt8] {
        let encoding =
            [targetLength, 0, UInt8(data.count), UInt8(instructions.count), UInt8(addresses.count)] + checksum + data
            + instructions + addresses
        return [indicator] + segment + [UInt8(encoding.count)] + encoding
    }

    static let header: [UInt8] = [0xD6, 0xC3, 0xC4, 0x00, 0x00]

    @Test("RUN, an overlapping COPY and a combined ADD+COPY")
    func instructions() throws {
        // RUN 5 of "x"; ADD 2 "ab" + COPY 4 from here - 2 (mode 1, code 163 + 12 + 3 + 0 = 178):
        // "ab" repeated over the bytes being written.
        let delta =
            Self.header
            + Self.window(targetLength: 11, data: Array("xab".utf8), instructions: [0, 5, 178], addresses: [2])
        #expect(try VCDIFFDelta.apply(delta, to: []) == Array("xxxxxababab".utf8))
    }

    @Test("a VCD_TARGET window copies from the target an earlier window rebuilt")
    func targetWindow() throws {
        let first = Self.window(targetLength: 4, data: Array("abcd".utf8), instructions: [5])
        // Segment: 3 bytes at 1 ("bcd"); COPY 4 from address 0 in mode 0 (code 20): the segment,
        // then the first byte it wrote.
        let second = Self.window(
            indicator: 0x02,
            segment: [3, 1],
            targetLength: 4,
            data: [],
            instructions: [20],
            addresses: [0]
        )
        #expect(try VCDIFFDelta.apply(Self.header + first + second, to: []) == Array("abcdbcdb".utf8))
    }

    @Test("xdelta3's Adler-32 checksum is verified")
    func checksum() throws {
        let sum: [UInt8] = [0x02, 0x4D, 0x01, 0x27]  // Adler-32 of "abc"
        let good =
            Self.header
            + Self.window(indicator: 0x04, targetLength: 3, checksum: sum, data: Array("abc".utf8), instructions: [4])
        #expect(try VCDIFFDelta.apply(good, to: []) == Array("abc".utf8))
        let bad =
            Self.header
            + Self.window(
                indicator: 0x04,
                targetLength: 3,
                checksum: [0x02, 0x4D, 0x01, 0x28],
                data: Array("abc".utf8),
                instructions: [4]
            )
        #expect(throws: VCDIFFError.checksumMismatch(window: 0)) { try VCDIFFDelta.apply(bad, to: []) }
    }

    @Test("an application header is skipped")
    func applicationHeader() throws {
        let delta =
            [0xD6, 0xC3, 0xC4, 0x00, 0x04, 3] + Array("a/b".utf8)
            + Self.window(targetLength: 1, data: [7], instructions: [2])
        #expect(try VCDIFFDelta.apply(delta, to: []) == [7])
    }

    @Test(
        "unsupported features are refused by name",
        arguments: [
            ([0xD6, 0xC3, 0xC4, 0x00, 0x01, 0x02], VCDIFFError.unsupported("secondary compression")),
            ([0xD6, 0xC3, 0xC4, 0x00, 0x02, 0x00], .unsupported("a custom code table")),
            ([0xD6, 0xC3, 0xC4, 0x01, 0x00], .unsupported("a VCDIFF version other than 0")),
            (header + [0, 5, 1, 0x01, 0, 0, 0], .unsupported("secondary compression of window sections")),
            ([0xD6, 0xC3, 0xC4, 0x00, 0x08], .malformed("reserved header indicator bits are set")),
            (header + [0x08], .malformed("reserved window indicator bits are set")),
            (header + [0x03, 0, 0], .malformed("a window with both VCD_SOURCE and VCD_TARGET")),
            ([0xD6, 0xC3, 0xC5, 0x00, 0x00], .malformed("not a VCDIFF delta (wrong magic bytes)")),
        ] as [([UInt8], VCDIFFError)]
    )
    func refused(delta: [UInt8], error: VCDIFFError) {
        #expect(throws: error) { try VCDIFFDelta.apply(delta, to: Array("base".utf8)) }
    }

    @Test("copies and segments outside what they may read are refused")
    func outOfRange() {
        let base = Array("0123456789".utf8)
        let cases: [[UInt8]] = [
            // Source segment of 11 bytes of a 10-byte base.
            Self.window(
                indicator: 0x01,
                segment: [11, 0],
                targetLength: 4,
                data: [],
                instructions: [20],
                addresses: [0]
            ),
            // Source segment at 5 of 6 bytes.
            Self.window(
                indicator: 0x01,
                segment: [6, 5],
                targetLength: 4,
                data: [],
                instructions: [20],
                addresses: [0]
            ),
            // COPY from address 10 = here (nothing there yet).
            Self.window(
                indicator: 0x01,
                segment: [10, 0],
                targetLength: 4,
                data: [],
                instructions: [20],
                addresses: [10]
            ),
            // COPY in mode 1 (here - 11) before the address space.
            Self.window(
                indicator: 0x01,
                segment: [10, 0],
                targetLength: 4,
                data: [],
                instructions: [36],
                addresses: [11]
            ),
            // COPY of 5 bytes into a window of 4.
            Self.window(
                indicator: 0x01,
                segment: [10, 0],
                targetLength: 4,
                data: [],
                instructions: [21],
                addresses: [0]
            ),
            // A VCD_TARGET segment before any target exists.
            Self.window(indicator: 0x02, segment: [1, 0], targetLength: 1, data: [1], instructions: [2]),
        ]
        for window in cases {
            #expect(throws: VCDIFFError.self) { try VCDIFFDelta.apply(Self.header + window, to: base) }
        }
    }

    @Test("lengths that disagree are refused")
    func inconsistent() {
        let cases: [[UInt8]] = [
            // Rebuilds 3 bytes of a promised 4.
            Self.window(targetLength: 4, data: Array("abc".utf8), instructions: [4]),
            // Leaves a data byte unused.
            Self.window(targetLength: 3, data: Array("abcd".utf8), instructions: [4]),
            // Leaves an address unused.
            Self.window(targetLength: 3, data: Array("abc".utf8), instructions: [4], addresses: [0]),
            // Section lengths that pass the end of the delta encoding.
            [0, 8, 3, 0, 3, 1, 0] + Array("abc".utf8) + [4, 0],
        ]
        for window in cases {
            #expect(throws: VCDIFFError.self) { try VCDIFFDelta.apply(Self.header + window, to: []) }
        }
    }

    @Test("the target size limit holds at its edge")
    func targetLimit() throws {
        let target = [UInt8](repeating: 0x41, count: 100) + Array("end".utf8)
        let delta = VCDIFFDelta.create(from: [], to: target)
        #expect(try VCDIFFDelta.apply(delta, to: [], maximumTargetSize: 103) == target)
        #expect(throws: VCDIFFError.targetTooLarge(limit: 102)) {
            try VCDIFFDelta.apply(delta, to: [], maximumTargetSize: 102)
        }
        // A forged window of 2^62 - 1 bytes with nothing in it.
        let forged = Self.header + [0, 13, 0xBF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0]
        #expect(throws: VCDIFFError.targetTooLarge(limit: VCDIFFDelta.defaultMaximumTargetSize)) {
            try VCDIFFDelta.apply(forged, to: [])
        }
    }

    @Test("a delta cut at every byte is refused, never crashes")
    func truncated() throws {
        var rng = SplitMix(state: 3)
        for _ in 0..<20 {
            let (base, target) = FossilDeltaTests.pair(&rng)
            let delta = VCDIFFDelta.create(from: base, to: target)
            // Cut after the header (5 bytes), a delta is complete: no windows, an empty target.
            for length in 0..<delta.count where length != 5 {
                #expect(throws: VCDIFFError.self) { try VCDIFFDelta.apply(Array(delta[..<length]), to: base) }
            }
        }
    }

    @Test("random bytes and corrupted deltas never crash")
    func hostile() {
        var rng = SplitMix(state: 5)
        for _ in 0..<2_000 {
            let noise = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(throws: VCDIFFError.self) { try VCDIFFDelta.apply(noise, to: []) }
            _ = try? VCDIFFDelta.apply(Self.header + noise, to: Array("some base".utf8))
        }
        for _ in 0..<200 {
            let (base, target) = FossilDeltaTests.pair(&rng)
            var delta = VCDIFFDelta.create(from: base, to: target)
            guard delta.count > 5 else { continue }
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                delta[Int.random(in: 5..<delta.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            _ = try? VCDIFFDelta.apply(delta, to: base)
        }
    }
}
