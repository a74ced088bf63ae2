import ChorusConformance
import Foundation
import Testing

/// The bundled cases against the rules catalogue and the coverage table in docs/conformance.md.
@Suite struct CaseLibraryTests {
    let library: CaseLibrary

    init() throws {
        library = try CaseLibrary(directory: CaseLibrary.bundledDirectory)
    }

    @Test func everyBundledCaseChecksACataloguedRule() {
        for testCase in library.cases {
            #expect(testCase.rule.flatMap { library.rules[$0] } != nil, "\(testCase.name) names no catalogued rule")
        }
    }

    @Test func everyRequiredCapabilityIsKnown() {
        for testCase in library.cases {
            for capability in testCase.requires {
                #expect(ServerProfile.knownCapabilities[capability] != nil, "\(testCase.name): \(capability)")
            }
        }
        for probe in library.probes {
            #expect(ServerProfile.knownCapabilities[probe.capability] != nil, "probe \(probe.capability)")
        }
    }

    /// docs/conformance.md holds the table `chorus conform --coverage` prints, unchanged.
    @Test func coverageTableInTheDocsIsCurrent() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/conformance.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let table = CoverageTable(library: library).markdown
        #expect(text.contains(table), "docs/conformance.md: paste the output of `chorus conform --coverage`")
    }
}
