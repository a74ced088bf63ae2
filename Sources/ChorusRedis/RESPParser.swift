package import NIOCore

/// Reads RESP2 values from the front of a buffer. Partial input is left untouched (``next(from:)``
/// answers `nil` until the whole value is there); anything that is not RESP2, or exceeds the
/// limits, throws ``RedisError/protocolViolation(_:)`` so a bad server can neither crash us nor make
/// us buffer without bound.
package struct RESPParser: Sendable {
    /// The longest bulk string accepted (Redis's own `proto-max-bulk-len` default).
    package var maximumBulkLength = 512 * 1024 * 1024
    /// The longest line (simple string, error, integer, length header) accepted.
    package var maximumLineLength = 64 * 1024
    /// How deep arrays may nest.
    package var maximumDepth = 32

    package init() {}

    /// The next complete value at the front of `buffer`, consuming it, or `nil` (nothing consumed) if
    /// more bytes are needed.
    package func next(from buffer: inout ByteBuffer) throws(RedisError) -> RESPValue? {
        guard let (value, end) = try self.value(in: buffer, at: buffer.readerIndex, depth: 0) else { return nil }
        buffer.moveReaderIndex(to: end)
        return value
    }

    private func value(in buffer: ByteBuffer, at index: Int, depth: Int) throws(RedisError) -> (RESPValue, Int)? {
        guard let type = buffer.getInteger(at: index, as: UInt8.self) else { return nil }
        guard let (line, next) = try self.line(in: buffer, at: index + 1) else { return nil }
        switch type {
        case UInt8(ascii: "+"):
            return (.simpleString(String(buffer: line)), next)
        case UInt8(ascii: "-"):
            return (.error(String(buffer: line)), next)
        case UInt8(ascii: ":"):
            return (.integer(try Self.integer(line)), next)
        case UInt8(ascii: "$"):
            let length = try Self.integer(line)
            if length == -1 { return (.bulkString(nil), next) }
            guard length >= 0, length <= self.maximumBulkLength else {
                throw .protocolViolation("bad bulk string length \(length)")
            }
            guard buffer.writerIndex - next >= length + 2 else { return nil }
            guard buffer.getInteger(at: next + length, as: UInt16.self) == Self.crlf else {
                throw .protocolViolation("bulk string not terminated by CRLF")
            }
            return (.bulkString(buffer.getSlice(at: next, length: length)), next + length + 2)
        case UInt8(ascii: "*"):
            let count = try Self.integer(line)
            if count == -1 { return (.array(nil), next) }
            guard count >= 0 else { throw .protocolViolation("bad array length \(count)") }
            guard depth < self.maximumDepth else { throw .protocolViolation("arrays nested too deep") }
            var elements: [RESPValue] = []
            elements.reserveCapacity(min(count, 1024))
            var position = next
            for _ in 0..<count {
                guard let (element, after) = try self.value(in: buffer, at: position, depth: depth + 1) else {
                    return nil
                }
                elements.append(element)
                position = after
            }
            return (.array(elements), position)
        default:
            throw .protocolViolation("unknown type byte \(type)")
        }
    }

    private static let crlf = UInt16(UInt8(ascii: "\r")) << 8 | UInt16(UInt8(ascii: "\n"))

    /// The bytes from `index` up to CRLF, and the index after the CRLF.
    private func line(in buffer: ByteBuffer, at index: Int) throws(RedisError) -> (ByteBuffer, Int)? {
        let available = buffer.writerIndex - index
        let searched = min(available, self.maximumLineLength + 1)
        guard let view = buffer.viewBytes(at: index, length: searched) else { return nil }
        guard let cr = view.firstIndex(of: UInt8(ascii: "\r")) else {
            if searched > self.maximumLineLength {
                throw .protocolViolation("line longer than \(self.maximumLineLength)")
            }
            return nil
        }
        guard let lf = buffer.getInteger(at: cr + 1, as: UInt8.self) else { return nil }
        guard lf == UInt8(ascii: "\n") else { throw .protocolViolation("CR not followed by LF") }
        return (buffer.getSlice(at: index, length: cr - index)!, cr + 2)
    }

    private static func integer(_ line: ByteBuffer) throws(RedisError) -> Int {
        var value = 0
        var negative = false
        var digits = 0
        for (offset, byte) in line.readableBytesView.enumerated() {
            if offset == 0, byte == UInt8(ascii: "-") {
                negative = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                throw .protocolViolation("not an integer")
            }
            let digit = Int(byte - UInt8(ascii: "0"))
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(negative ? -digit : digit)
            guard !overflow1, !overflow2 else { throw .protocolViolation("integer out of range") }
            value = sum
            digits += 1
        }
        guard digits > 0 else { throw .protocolViolation("not an integer") }
        return value
    }
}
