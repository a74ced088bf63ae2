package import NIOCore

extension ByteBuffer {
    /// Writes a command as RESP: an array of `count` bulk strings, whose elements follow.
    package mutating func writeRESPArrayHeader(count: Int) {
        self.writeInteger(UInt8(ascii: "*"))
        self.writeRESPNumber(count)
    }

    /// Writes one bulk string of a command (the UTF-8 of `string`).
    package mutating func writeRESPBulkString(_ string: String) {
        self.writeInteger(UInt8(ascii: "$"))
        self.writeRESPNumber(string.utf8.count)
        self.writeString(string)
        self.writeCRLF()
    }

    /// Writes one bulk string of a command: the readable bytes of `bytes`, as they are.
    package mutating func writeRESPBulkString(_ bytes: ByteBuffer) {
        self.writeInteger(UInt8(ascii: "$"))
        self.writeRESPNumber(bytes.readableBytes)
        self.writeImmutableBuffer(bytes)
        self.writeCRLF()
    }

    /// The bytes a command made of `arguments` takes, so that its buffer is allocated once.
    static func respCommandSize(_ arguments: [String], extraBytes: Int = 0) -> Int {
        // `*` or `$`, up to 20 digits, CRLF, then the bytes and CRLF: 25 bytes of framing at most.
        arguments.reduce(25 + extraBytes + 25) { $0 + $1.utf8.count + 25 }
    }

    private mutating func writeRESPNumber(_ number: Int) {
        // Integers up to 15 digits are small strings: no allocation.
        self.writeString(String(number))
        self.writeCRLF()
    }

    private mutating func writeCRLF() {
        self.writeInteger(UInt16(UInt8(ascii: "\r")) << 8 | UInt16(UInt8(ascii: "\n")))
    }
}
