import ChorusProtocol
import ChorusTesting
import Foundation
import Testing

@Suite("Fossil delta")
struct FossilDeltaTests {
    /// A source and a target derived from it by a few insertions, deletions and replacements.
    static func pair(_ rng: inout SplitMix) -> (source: [UInt8], target: [UInt8]) {
        let length = Int.random(in: 0...3_000, using: &rng)
        let alphabet = Array(#"{"symbol":"EURUSD","bid":1.0841,"ask":1.0842} abcdefghij0123456789"#.utf8)
        let source = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
        var target = source
        for _ in 0..<Int.random(in: 0...8, using: &rng) {
            let at = Int.random(in: 0...target.count, using: &rng)
            let edit = (0..<Int.random(in: 1...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: target.insert(contentsOf: edit, at: at)
            case 1: target.removeSubrange(at..<min(target.count, at + edit.count))
            default: target.replaceSubrange(at..<min(target.count, at + edit.count), with: edit)
            }
        }
        return (source, target)
    }

    @Test("create then apply gives back the target, for 500 random pairs")
    func roundTrip() throws {
        var rng = SplitMix(state: 7)
        for _ in 0..<500 {
            let (source, target) = Self.pair(&rng)
            let delta = FossilDelta.create(from: source, to: target)
            #expect(try FossilDelta.apply(delta, to: source) == target)
        }
    }

    @Test("a small change to a 1 KB message gives a delta a tenth of its size")
    func compact() throws {
        let source = Array(String(repeating: #"{"id":42,"name":"sensor","value":17.25},"#, count: 25).utf8)
        var target = source
        target.replaceSubrange(500..<505, with: Array("99.75".utf8))
        let delta = FossilDelta.create(from: source, to: target)
        #expect(delta.count * 10 < target.count)
        #expect(try FossilDelta.apply(delta, to: source) == target)
    }

    @Test("the documented format: header, copy, insert, checksum")
    func format() throws {
        let source = Array("0123456789abcdefghijklmnopqrstuv".utf8)
        let target = Array("0123456789abcdefghijklmnopqrstuvXYZ".utf8)
        let delta = String(decoding: FossilDelta.create(from: source, to: target), as: UTF8.self)
        // 35 bytes is "Z" in the 64-digit alphabet; copy 32 ("W") from 0, insert 3.
        #expect(delta.hasPrefix("Z\nW@0,3:XYZ"))
        #expect(delta.hasSuffix(";"))
    }

    @Test(
        "malformed deltas are refused",
        arguments: ["", "5\n", "5\n5@0,", "3\n3:abc0;", "3\n9@0,1;", "3\n3:ab"]
    )
    func malformed(delta: String) {
        #expect(throws: FossilDeltaError.self) {
            try FossilDelta.apply(Array(delta.utf8), to: Array("abcdefgh".utf8))
        }
    }

    @Test("a wrong checksum is refused")
    func checksum() throws {
        var delta = FossilDelta.create(from: Array("hello".utf8), to: Array("hello, world".utf8))
        delta[delta.count - 2] = delta[delta.count - 2] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        #expect(throws: FossilDeltaError.self) { try FossilDelta.apply(delta, to: Array("hello".utf8)) }
    }

    static let fossil = ["/usr/bin/fossil", "/usr/local/bin/fossil"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test(
        "deltas round-trip through the real fossil both ways",
        .enabled(if: fossil != nil, "needs the fossil binary (apt-get install fossil)")
    )
    func crossCheck() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fossil-delta-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sourceURL = directory.appendingPathComponent("source")
        let targetURL = directory.appendingPathComponent("target")
        let deltaURL = directory.appendingPathComponent("delta")
        let outURL = directory.appendingPathComponent("out")
        var rng = SplitMix(state: 99)
        for _ in 0..<40 {
            let (source, target) = Self.pair(&rng)
            try Data(source).write(to: sourceURL)
            try Data(target).write(to: targetURL)
            // Ours → fossil.
            try Data(FossilDelta.create(from: source, to: target)).write(to: deltaURL)
            try Self.runFossil(["test-delta-apply", sourceURL.path, deltaURL.path, outURL.path])
            #expect(try Data(contentsOf: outURL) == Data(target))
            // Fossil → ours.
            try Self.runFossil(["test-delta-create", sourceURL.path, targetURL.path, deltaURL.path])
            let theirs = Array(try Data(contentsOf: deltaURL))
            #expect(try FossilDelta.apply(theirs, to: source) == target)
        }
    }

    @Test("a forged target length (2^59 bytes) is refused without reserving it")
    func forgedLength() {
        // "zzzzzzzzzz" is the largest 10-digit length; the delta then ends without a checksum.
        let delta = Array("zzzzzzzzzz\n3:abc".utf8)
        #expect(throws: FossilDeltaError.self) { try FossilDelta.apply(delta, to: Array("source".utf8)) }
    }

    static func runFossil(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: fossil!)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "fossil \(arguments.joined(separator: " "))")
    }
}
