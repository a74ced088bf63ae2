/// Reads bytes and VCDIFF integers from one part of a delta, never past its end.
struct VCDIFFReader {
    let bytes: [UInt8]
    var index: Int
    let end: Int
    /// What is being read, for the error when the part ends early.
    var part: Part

    /// The parts of a delta, named in errors (kept as a value so that decoding builds no text).
    enum Part: CustomStringConvertible {
        case header
        case applicationHeader
        case window(Int)
        case encoding(window: Int)
        case data
        case instructions
        case addresses

        var description: String {
            switch self {
            case .header: "the header"
            case .applicationHeader: "the application header"
            case .window(let number): "window \(number)"
            case .encoding(let window): "the delta encoding of window \(window)"
            case .data: "the data section"
            case .instructions: "the instruction section"
            case .addresses: "the address section"
            }
        }
    }

    init(_ bytes: [UInt8], _ range: Range<Int>, part: Part) {
        self.bytes = bytes
        index = range.lowerBound
        end = range.upperBound
        self.part = part
    }

    var isAtEnd: Bool { index >= end }

    var remaining: Int { end - index }

    mutating func byte() throws(VCDIFFError) -> UInt8 {
        guard index < end else { throw .truncated(part.description) }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func bytes(_ count: Int) throws(VCDIFFError) -> ArraySlice<UInt8> {
        guard count <= remaining else { throw .truncated(part.description) }
        defer { index += count }
        return bytes[index..<(index + count)]
    }

    /// A base-128 integer, most significant digit first; at most 2^62 - 1, which no valid length
    /// or address in a delta this decoder accepts comes near.
    mutating func integer() throws(VCDIFFError) -> Int {
        var value = 0
        while true {
            let digit = try byte()
            guard value < 1 << 55 else { throw .malformed("an integer in \(part) is too large") }
            value = value << 7 | Int(digit & 0x7F)
            if digit & 0x80 == 0 { return value }
        }
    }
}
