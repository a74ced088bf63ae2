import ChorusLoad
import Foundation
import Testing

/// Every bundled scenario must parse, the issue's scenarios must ship, and names resolve from any
/// directory.
@Suite struct ScenarioFilesTests {
    static let required = [
        "smoke", "fanout-10k", "batch-10k", "channels-10k", "presence-churn", "client-events", "delta-10k", "soak",
    ]

    @Test func issueScenariosAreBundled() {
        #expect(Set(Self.required).isSubset(of: BundledScenarios.names))
    }

    @Test(arguments: BundledScenarios.names)
    func bundledScenarioParses(name: String) throws {
        let scenario = try ScenarioParser.load(path: BundledScenarios.file(for: name))
        #expect(scenario.name == name)
    }

    @Test func aPathIsTakenAsGiven() throws {
        let path = BundledScenarios.directory.appendingPathComponent("smoke.yaml").path
        #expect(try BundledScenarios.file(for: path) == path)
    }

    @Test func missingFileIsAClearError() {
        #expect {
            try ScenarioParser.load(path: "/nonexistent/nope.yaml")
        } throws: { error in
            "\(error)".contains("/nonexistent/nope.yaml") && "\(error)".contains("cannot be read")
                && "\(error)".contains("smoke")
        }
    }

    @Test func unknownNameListsTheBundledOnes() {
        #expect {
            try BundledScenarios.file(for: "no-such-scenario")
        } throws: { error in
            "\(error)".contains("no-such-scenario") && "\(error)".contains("fanout-10k")
        }
    }
}
