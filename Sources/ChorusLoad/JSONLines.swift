package import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The framing between the parent and the workers of a `--workers` run: one JSON value per line,
/// over pipes.
package enum JSONLines {
    /// `value` as one line of JSON, newline included (JSON text never holds a raw newline); keys
    /// are sorted, so equal values make equal lines.
    package static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var line = try encoder.encode(value)
        line.append(UInt8(ascii: "\n"))
        return line
    }

    package static func decode<Value: Decodable>(_ type: Value.Type, from line: Data) throws -> Value {
        try JSONDecoder().decode(type, from: line)
    }

    /// The lines read from `file`, without their newlines, until end of file or a read error.
    /// Reads block, so they run on a thread of their own (which keeps `file`, and so its
    /// descriptor, open) rather than on one of the tasks' threads.
    package static func lines(from file: FileHandle) -> AsyncStream<Data> {
        AsyncStream { continuation in
            let reader = Thread {
                withExtendedLifetime(file) {
                    var pending = Data()
                    var buffer = [UInt8](repeating: 0, count: 64 * 1_024)
                    while true {
                        let count = buffer.withUnsafeMutableBytes {
                            read(file.fileDescriptor, $0.baseAddress, $0.count)
                        }
                        if count < 0, errno == EINTR { continue }
                        guard count > 0 else { break }
                        pending.append(contentsOf: buffer[..<count])
                        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                            continuation.yield(Data(pending[pending.startIndex..<newline]))
                            pending.removeSubrange(pending.startIndex...newline)
                        }
                    }
                }
                continuation.finish()
            }
            reader.start()
        }
    }
}
