import ChorusRedis
import NIOCore
import Testing

@Suite struct RESPParserTests {
    private let parser = RESPParser()

    private func parseAll(_ text: String) throws -> [RESPValue] {
        var buffer = ByteBuffer(string: text)
        var values: [RESPValue] = []
        while let value = try self.parser.next(from: &buffer) { values.append(value) }
        #expect(buffer.readableBytes == 0)
        return values
    }

    @Test func simpleValues() throws {
        let values = try self.parseAll("+OK\r\n-ERR wrong\r\n:42\r\n:-7\r\n$5\r\nhello\r\n$0\r\n\r\n")
        #expect(
            values == [
                .simpleString("OK"), .error("ERR wrong"), .integer(42), .integer(-7),
                .bulkString(ByteBuffer(string: "hello")), .bulkString(ByteBuffer()),
            ]
        )
    }

    @Test func nullsAndNestedArrays() throws {
        let values = try self.parseAll("$-1\r\n*-1\r\n*0\r\n*2\r\n*2\r\n:1\r\n$1\r\na\r\n*1\r\n$-1\r\n")
        #expect(
            values == [
                .bulkString(nil), .array(nil), .array([]),
                .array([.array([.integer(1), .bulkString(ByteBuffer(string: "a"))]), .array([.bulkString(nil)])]),
            ]
        )
    }

    @Test func bulkStringsMayHoldCRLF() throws {
        #expect(try self.parseAll("$4\r\n\r\n\r\n\r\n") == [.bulkString(ByteBuffer(string: "\r\n\r\n"))])
    }

    /// Every prefix of a frame is incomplete and consumes nothing; the whole frame parses.
    @Test func partialFramesWaitForMoreBytes() throws {
        let frame = "*3\r\n$7\r\nmessage\r\n$3\r\nabc\r\n*2\r\n:12\r\n+x y\r\n"
        let bytes = Array(frame.utf8)
        for length in 0..<bytes.count {
            var buffer = ByteBuffer(bytes: bytes[..<length])
            #expect(try self.parser.next(from: &buffer) == nil)
            #expect(buffer.readableBytes == length)
        }
        var buffer = ByteBuffer(bytes: bytes)
        let value = try self.parser.next(from: &buffer)
        #expect(
            value
                == .array([
                    .bulkString(ByteBuffer(string: "message")), .bulkString(ByteBuffer(string: "abc")),
                    .array([.integer(12), .simpleString("x y")]),
                ])
        )
    }

    @Test func bigBulkStringArrivingInChunks() throws {
        let payload = ByteBuffer(repeating: UInt8(ascii: "z"), count: 4 * 1024 * 1024)
        var wire = ByteBuffer(string: "$\(payload.readableBytes)\r\n")
        wire.writeImmutableBuffer(payload)
        wire.writeString("\r\n:1\r\n")
        var received = ByteBuffer()
        var values: [RESPValue] = []
        while wire.readableBytes > 0 {
            received.writeImmutableBuffer(wire.readSlice(length: min(65_536, wire.readableBytes))!)
            while let value = try self.parser.next(from: &received) { values.append(value) }
        }
        #expect(values == [.bulkString(payload), .integer(1)])
    }

    @Test(
        arguments: [
            "?what\r\n", "$-2\r\n", "*-5\r\n", ":12a\r\n", ":\r\n", ":-\r\n", ":99999999999999999999\r\n",
            "+OK\rX", "$3\r\nabcde", "$x\r\n", "$\(512 * 1024 * 1024 + 1)\r\n",
        ]
    )
    func malformedInputIsAViolation(_ text: String) {
        var buffer = ByteBuffer(string: text)
        #expect(throws: RedisError.self) { try self.parser.next(from: &buffer) }
    }

    @Test func overlongLineIsAViolation() {
        var parser = RESPParser()
        parser.maximumLineLength = 16
        var buffer = ByteBuffer(string: "+" + String(repeating: "a", count: 17))
        #expect(throws: RedisError.self) { try parser.next(from: &buffer) }
    }

    @Test func deepNestingIsAViolation() {
        var buffer = ByteBuffer(string: String(repeating: "*1\r\n", count: 100) + ":1\r\n")
        #expect(throws: RedisError.self) { try self.parser.next(from: &buffer) }
    }

    /// Any byte of a frame replaced by any other byte: the parser answers a value, nil or a
    /// violation, and never reads past what it was given.
    @Test func corruptedFramesNeverCrash() throws {
        let frame = Array("*3\r\n$7\r\nmessage\r\n$-1\r\n*1\r\n:-12\r\n".utf8)
        for position in frame.indices {
            for byte in [0, 10, 13, 36, 42, 43, 45, 48, 57, 58, 255] as [UInt8] {
                var corrupted = frame
                corrupted[position] = byte
                var buffer = ByteBuffer(bytes: corrupted)
                if (try? self.parser.next(from: &buffer)) != nil {
                    #expect(buffer.readerIndex <= corrupted.count)
                }
            }
        }
    }

    @Test func commandsAreArraysOfBulkStrings() {
        var buffer = ByteBuffer()
        buffer.writeRESPArrayHeader(count: 3)
        buffer.writeRESPBulkString("PUBLISH")
        buffer.writeRESPBulkString("ché")
        buffer.writeRESPBulkString(ByteBuffer(string: "{\"a\":1}"))
        #expect(String(buffer: buffer) == "*3\r\n$7\r\nPUBLISH\r\n$4\r\nché\r\n$7\r\n{\"a\":1}\r\n")
    }
}
