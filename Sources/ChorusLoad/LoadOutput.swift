import Foundation

/// Where `chorus load` prints what: text for people on standard output, or on standard error when
/// `--json` gives standard output to the run's JSON report, or nowhere when `--quiet`; problems
/// (why the run failed, regressions) always reach standard error.
public struct LoadOutput: Sendable {
    /// `--quiet`: no progress line, no time series lines, no summary.
    public var quiet: Bool
    /// `--json`: standard output carries the run's JSON report and nothing else.
    public var json: Bool

    public init(quiet: Bool = false, json: Bool = false) {
        self.quiet = quiet
        self.json = json
    }

    /// Whether to draw the progress line: not quiet, and standard error is a terminal.
    public var showsProgress: Bool { !quiet && ProgressLine.isTerminal }

    /// Text for people (the summary, `wrote <file>`); nothing when quiet.
    public func say(_ text: String) {
        guard !quiet else { return }
        if json { Self.standardError(text) } else { print(text) }
    }

    /// A result: `text` as ``say(_:)`` does, or when quiet only its `problems`, on standard error.
    public func result(_ text: String, problems: [String]) {
        if quiet { problems.forEach(Self.standardError) } else { say(text) }
    }

    /// A finished run: its summary (with the threshold table and why it failed), and with `--json`
    /// the report on standard output.
    public func finish(_ report: LoadReport) throws {
        result(MarkdownSummary(report: report).text, problems: report.failures.map { "failed: \($0)" })
        if json { print(String(decoding: try LoadReport.encoder.encode(report), as: UTF8.self)) }
    }

    private static func standardError(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}
