import ArgumentParser
import ChorusLoad

/// `chorus load index [DIR]`: the pages of a results directory's runs that have none, from their
/// JSON reports, and its `index.html` and `README.md`, e.g. after copying or committing reports.
struct LoadIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Write the HTML page of every run report in a results directory that has none, and its index.",
        discussion: """
            Reads <dir>/<scenario>/*.json; writes <stamp>.html beside each report without one (existing pages, \
            which may hold a comparison with a baseline, are kept), then <dir>/index.html and <dir>/README.md. \
            Exits 2 when the directory cannot be written.
            """
    )

    @Argument(help: "The results directory.") var directory = "results"

    func run() throws {
        let results = ResultsDirectory(root: directory)
        let count = results.reports().count
        let written: Int
        do {
            written = try results.writeMissingPages()
        } catch {
            throw LoadCommand.cannotRun(
                FileProblem(directory, "cannot be written", error: error, remedy: "pass a writable results directory")
            )
        }
        print("wrote \(written) run pages and \(directory)/index.html (\(count) runs)")
    }
}
