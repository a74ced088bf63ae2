/// Finds one scalar in JSON text by a path of member names, without parsing the document: the
/// members on the way are compared in place and everything else is skipped, so reading a
/// conflation key from each published event costs a scan, not a decoded tree.
public enum JSONPathLookup {
    /// The text of the string (unescaped), number (as written) or boolean at `path` — member
    /// names from the root object down — in `json`; `nil` when it is absent, not a scalar, or the
    /// text on the way is not JSON.
    public static func scalarText(at path: [Substring], in json: String) -> String? {
        var json = json
        return json.withUTF8 { bytes in
            var scanner = Scanner(bytes: bytes)
            return scanner.scalar(at: path[...])
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func scalar(at path: ArraySlice<Substring>) -> String? {
            guard let name = path.first else { return scalarHere() }
            skipWhitespace()
            guard take(UInt8(ascii: "{")) else { return nil }
            skipWhitespace()
            if take(UInt8(ascii: "}")) { return nil }
            while true {
                skipWhitespace()
                guard let key = stringRange() else { return nil }
                skipWhitespace()
                guard take(UInt8(ascii: ":")) else { return nil }
                if matches(key, name) { return scalar(at: path.dropFirst()) }
                guard skipValue() else { return nil }
                skipWhitespace()
                if take(UInt8(ascii: ",")) { continue }
                return nil
            }
        }

        /// The scalar at the current position.
        private mutating func scalarHere() -> String? {
            skipWhitespace()
            guard index < bytes.count else { return nil }
            let start = index
            switch bytes[index] {
            case UInt8(ascii: "\""):
                guard let range = stringRange() else { return nil }
                if !bytes[range].contains(UInt8(ascii: "\\")) {
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                }
                return (try? JSONValue(parsing: UnsafeBufferPointer(rebasing: bytes[start..<index])))?.stringValue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                return nil
            default:
                guard skipValue(), index > start else { return nil }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            }
        }

        private func matches(_ key: Range<Int>, _ name: Substring) -> Bool {
            // An escaped key never equals a plain name here; such keys are not conflation keys.
            key.count == name.utf8.count && bytes[key].elementsEqual(name.utf8)
        }

        private static func isWhitespace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }

        private mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        private mutating func skipWhitespace() {
            while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
        }

        /// The contents of the string at the current position (quotes excluded), moving past it.
        private mutating func stringRange() -> Range<Int>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""):
                    index += 1
                    return start..<(index - 1)
                default: index += 1
                }
            }
            return nil
        }

        /// Moves past the value at the current position; `false` when the text ends first.
        private mutating func skipValue() -> Bool {
            skipWhitespace()
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return stringRange() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        guard stringRange() != nil else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return true
                        }
                    default: break
                    }
                    index += 1
                }
                return false
            default:
                let start = index
                while index < bytes.count, !Self.isWhitespace(bytes[index]) {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { break }
                    index += 1
                }
                return index > start
            }
        }
    }
}
