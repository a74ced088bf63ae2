import Foundation

/// One table of a run's summary, built once from the report (``LoadReport``'s summary tables) and
/// rendered by both summaries: ``MarkdownSummary`` as a pipe table, ``HTMLSummary`` as an HTML table.
package struct SummaryTable: Sendable, Hashable {
    package var header: [String]
    package var rows: [[String]]

    package init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// The table as Markdown lines: the header, the separator, one line per row.
    package var markdownLines: [String] {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        return [line(header), line(header.map { _ in "---" })] + rows.map(line)
    }
}
