import ChorusLoad
import Foundation
import Testing

/// Reports committed under `results/` stay readable as the report grows fields, so the index and
/// `--baseline` keep working with them.
@Suite struct CommittedResultsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("results").path

    @Test func everyCommittedRunReportReads() throws {
        let files = FileManager.default
        var read = 0
        // Other tools keep their reports beside the load runs (results/conformance).
        for scenario in try files.contentsOfDirectory(atPath: Self.root) where BundledScenarios.names.contains(scenario)
        {
            let directory = "\(Self.root)/\(scenario)"
            guard let names = try? files.contentsOfDirectory(atPath: directory) else { continue }
            for name in names where name.hasSuffix(".json") {
                let report = try #require(try? LoadReport.read(path: "\(directory)/\(name)"), "\(scenario)/\(name)")
                #expect(report.scenario == scenario, "\(scenario)/\(name)")
                read += 1
            }
        }
        #expect(ResultsDirectory(root: Self.root).reports().count == read)
        #expect(ResultsDirectory(root: Self.root).reports().contains { $0.path.hasPrefix("soak/") })
        #expect(read > 0)
    }
}
