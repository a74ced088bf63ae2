import ChorusConformance
import Foundation

/// The repository's case directory, found from this file.
let conformanceCaseDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Scenarios/conformance")
