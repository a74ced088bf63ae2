/// The VCDIFF delta format of RFC 3284, as xdelta3 writes it: what turns one byte sequence (the
/// base) into another (the target), written so that `xdelta3 -d` reads what ``create(from:to:)``
/// writes and ``apply(_:to:maximumTargetSize:)`` reads what `xdelta3 -e` writes.
///
/// A delta is the header `D6 C3 C4 00` and an indicator byte, then windows. Each window names a
/// source segment (of the base, or of the target already rebuilt), the target length, and three
/// sections: the bytes of ADD and RUN instructions, the instruction codes with their sizes (codes
/// of the default table of section 5.6, one or two instructions each), and the COPY addresses,
/// written relative to a cache of recent ones. Integers are base 128, most significant digit
/// first, every digit but the last with the high bit set.
///
/// ``create(from:to:)`` writes one window whose source segment is the whole base, copies of the
/// base and of the target already written, no checksum and no secondary compression. The decoder
/// also takes several windows, target-segment windows, RUNs, xdelta3's application header and its
/// Adler-32 checksum, and refuses everything else (secondary compressors, custom code tables).
public enum VCDIFFDelta {
    /// The name carried in `pusher:delta` frames (Sockudo's name for this format).
    public static let algorithm = "xdelta3"

    /// The largest target ``apply(_:to:maximumTargetSize:)`` rebuilds unless told otherwise.
    public static let defaultMaximumTargetSize = 1 << 24

    static let magic: [UInt8] = [0xD6, 0xC3, 0xC4, 0x00]

    /// Header indicator bits (RFC 3284 section 4.1; the application header is xdelta3's).
    enum HeaderIndicator {
        static let secondaryCompressor: UInt8 = 0x01
        static let codeTable: UInt8 = 0x02
        static let applicationHeader: UInt8 = 0x04
    }

    /// Window indicator bits (section 4.2; the checksum is xdelta3's).
    enum WindowIndicator {
        static let source: UInt8 = 0x01
        static let target: UInt8 = 0x02
        static let adler32: UInt8 = 0x04
    }

    /// Rebuilds the target from `base` and a delta; throws when the delta is truncated or
    /// malformed, uses a feature this decoder does not have, reaches outside what it may copy, or
    /// would rebuild more than `maximumTargetSize` bytes.
    public static func apply(
        _ delta: [UInt8],
        to base: [UInt8],
        maximumTargetSize: Int = defaultMaximumTargetSize
    ) throws(VCDIFFError) -> [UInt8] {
        var decoder = VCDIFFDecoder(delta: delta, base: base, maximumTargetSize: maximumTargetSize)
        return try decoder.decode()
    }

    /// The number of bytes `value` takes as a VCDIFF integer.
    static func integerLength(_ value: Int) -> Int {
        var length = 1
        while value >> (7 * length) > 0 { length += 1 }
        return length
    }

    /// Appends `value` as a VCDIFF integer.
    static func appendInteger(_ value: Int, to bytes: inout [UInt8]) {
        var shift = 7 * (integerLength(value) - 1)
        while shift > 0 {
            bytes.append(UInt8(truncatingIfNeeded: value >> shift) | 0x80)
            shift -= 7
        }
        bytes.append(UInt8(value & 0x7F))
    }

    /// The Adler-32 checksum of `bytes` (RFC 1950), as xdelta3 puts in a window.
    static func adler32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            // 5552 bytes is the most that can be summed before the 32-bit sums could overflow.
            let end = min(bytes.endIndex, index + 5552)
            while index < end {
                a &+= UInt32(bytes[index])
                b &+= a
                index += 1
            }
            a %= 65521
            b %= 65521
        }
        return b << 16 | a
    }
}
