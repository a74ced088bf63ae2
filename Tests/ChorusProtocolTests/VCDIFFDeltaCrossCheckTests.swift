import ChorusProtocol
import ChorusTesting
import Foundation
import Testing

/// ``VCDIFFDelta`` against two independent implementations: the xdelta3 binary (both ways) and
/// the PyPI `vcdiff-decoder` that Sockudo's Python SDK decodes with. Each test is skipped, with
/// the reason, when its tool is missing (`scripts/setup.sh --test` installs both).
@Suite("VCDIFF delta cross-checks")
struct VCDIFFDeltaCrossCheckTests {
    static let xdelta3 = ["/usr/bin/xdelta3", "/usr/local/bin/xdelta3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static let pythonDecoder: Bool = {
        (try? run("/usr/bin/env", ["python3", "-c", "import vcdiff_decoder"])) == 0
    }()

    /// The pairs both checks use: random edits, then the shaped inputs of ``VCDIFFDeltaTests``.
    static func pairs() -> [(base: [UInt8], target: [UInt8])] {
        var rng = SplitMix(state: 99)
        let random = (0..<40).map { _ in FossilDeltaTests.pair(&rng) }.map { (base: $0.source, target: $0.target) }
        return random + VCDIFFDeltaTests.structured.map { (base: $0.1, target: $0.2) }
    }

    @Test(
        "xdelta3 decodes our deltas, and we decode xdelta3's (plain, with checksum and header, several windows)",
        .enabled(if: xdelta3 != nil, "needs the xdelta3 binary (apt-get install xdelta3)")
    )
    func xdelta3CrossCheck() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = directory.appending(path: "base").path
        let target = directory.appending(path: "target").path
        let delta = directory.appending(path: "delta").path
        let out = directory.appending(path: "out").path
        let encodings = [
            ["-S", "none", "-A", "-n"],  // what Sockudo's encoder writes
            ["-S", "none"],  // with its application header and Adler-32 checksums
            ["-S", "none", "-n", "-W", "16384"],  // 16 KB windows
        ]
        for (index, pair) in Self.pairs().enumerated() {
            try Data(pair.base).write(to: URL(filePath: base))
            try Data(pair.target).write(to: URL(filePath: target))
            // Ours → xdelta3.
            try Data(VCDIFFDelta.create(from: pair.base, to: pair.target)).write(to: URL(filePath: delta))
            #expect(try Self.run(Self.xdelta3!, ["-d", "-f", "-s", base, delta, out]) == 0, "pair \(index)")
            #expect(try Data(contentsOf: URL(filePath: out)) == Data(pair.target), "pair \(index)")
            // xdelta3 → ours.
            for options in encodings {
                #expect(try Self.run(Self.xdelta3!, ["-e", "-f"] + options + ["-s", base, target, delta]) == 0)
                let theirs = Array(try Data(contentsOf: URL(filePath: delta)))
                #expect(try VCDIFFDelta.apply(theirs, to: pair.base) == pair.target, "pair \(index), \(options)")
            }
        }
    }

    @Test(
        "the Python vcdiff-decoder decodes our deltas",
        .enabled(if: pythonDecoder, "needs the PyPI vcdiff-decoder (pip install vcdiff-decoder)")
    )
    func pythonCrossCheck() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pairs = Self.pairs()
        for (index, pair) in pairs.enumerated() {
            try Data(pair.base).write(to: directory.appending(path: "base-\(index)"))
            try Data(VCDIFFDelta.create(from: pair.base, to: pair.target))
                .write(to: directory.appending(path: "delta-\(index)"))
        }
        // One interpreter for all pairs.
        let script = """
            import sys, vcdiff_decoder
            d = sys.argv[1]
            for i in range(int(sys.argv[2])):
                base = open(f"{d}/base-{i}", "rb").read()
                delta = open(f"{d}/delta-{i}", "rb").read()
                open(f"{d}/out-{i}", "wb").write(vcdiff_decoder.decode(base, delta))
            """
        #expect(try Self.run("/usr/bin/env", ["python3", "-c", script, directory.path, "\(pairs.count)"]) == 0)
        for (index, pair) in pairs.enumerated() {
            #expect(
                try Data(contentsOf: directory.appending(path: "out-\(index)")) == Data(pair.target),
                "pair \(index)"
            )
        }
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appending(path: "vcdiff-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Runs a tool to completion; its exit status.
    static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
