import ChorusLoad
import Foundation
import Testing

/// Every committed scenario file must parse, and the scenarios must exist.
@Suite struct ScenarioFilesTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios")

    @Test(arguments: [
        "smoke", "fanout-10k", "batch-10k", "channels-10k", "presence-churn", "client-events", "delta-10k",
    ])
    func committedScenarioParses(name: String) throws {
        let scenario = try ScenarioParser.load(path: Self.directory.appendingPathComponent("\(name).yaml").path)
        #expect(scenario.name == name)
    }

    @Test func missingFileIsAClearError() {
        #expect {
            try ScenarioParser.load(path: "/nonexistent/nope.yaml")
        } throws: { error in
            "\(error)".contains("/nonexistent/nope.yaml") && "\(error)".contains("cannot be read")
        }
    }
}
