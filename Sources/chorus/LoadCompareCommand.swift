import ArgumentParser
import ChorusLoad
import Foundation

/// `chorus load compare A B`: two run reports side by side, and their latency curves in one plot.
struct LoadCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two run reports: a table of their figures with the change from A to B, and a plot.",
        discussion: "Exits 2 when a report cannot be read or the plot cannot be written."
    )

    @Argument(help: "The first run's report (.json), e.g. a baseline.") var a: String
    @Argument(help: "The second run's report (.json).") var b: String
    @Option(
        help: ArgumentHelp(
            "Where to write the SVG of both latency percentile curves (default: beside B, <B>-vs-<A>.svg).",
            valueName: "file"
        )
    )
    var plot: String?

    func run() throws {
        let comparison: ReportComparison
        do {
            let remedy = "pass the .json reports two runs of chorus load wrote"
            comparison = ReportComparison(
                try LoadReport.read(path: a, remedy: remedy),
                try LoadReport.read(path: b, remedy: remedy),
                labels: (a, b)
            )
        } catch {
            throw LoadCommand.cannotRun(error)
        }
        print(comparison.table)
        let path = plot ?? ReportComparison.defaultPlotPath(a: a, b: b)
        do {
            try comparison.plot.svg.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw LoadCommand.cannotRun(
                FileProblem(path, "cannot be written", error: error, remedy: "pass --plot FILE in a writable directory")
            )
        }
        print("wrote \(path)")
    }
}
