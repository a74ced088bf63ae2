import ChorusFuzzTargets
import Foundation
import Testing

/// Every committed fuzz input — the seeds and each crash the fuzzer once found — replayed through
/// its target on every test run, so a fixed crash stays fixed.
@Suite("Fuzz corpus replay")
struct FuzzCorpusTests {
    static let corpus = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: "Fuzz")

    @Test("each target's corpus runs without a crash", arguments: FuzzTarget.allCases)
    func replay(target: FuzzTarget) throws {
        let directory = Self.corpus.appending(path: target.rawValue)
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
        #expect(files.count >= 3, "\(target.rawValue) has too few seeds")
        for file in files {
            target.run(Array(try Data(contentsOf: file)))
        }
    }
}
