import Foundation

/// The rules catalogue against the cases: which case checks each rule, and which rules no case checks.
public struct CoverageTable: Sendable {
    public struct Row: Sendable, Hashable {
        public var rule: ConformanceRule
        /// The cases that name the rule (as their rule or in `also`), with their level.
        public var cases: [(name: String, level: CaseLevel)]

        public static func == (lhs: Row, rhs: Row) -> Bool {
            lhs.rule == rhs.rule && lhs.cases.map(\.name) == rhs.cases.map(\.name)
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(rule)
        }
    }

    public let rows: [Row]

    public init(library: CaseLibrary) {
        var byRule: [String: [(name: String, level: CaseLevel)]] = [:]
        for testCase in library.cases {
            for rule in [testCase.rule].compactMap(\.self) + testCase.alsoRules {
                byRule[rule, default: []].append((testCase.name, testCase.level))
            }
        }
        rows = library.ruleOrder.map { Row(rule: library.rules[$0]!, cases: byRule[$0] ?? []) }
    }

    public var covered: Int { rows.filter { !$0.cases.isEmpty }.count }

    /// The table as Markdown, with a closing line `N of M rules covered`.
    public var markdown: String {
        var lines = ["| rule | statement | source | cases (level) |", "| --- | --- | --- | --- |"]
        for row in rows {
            let cases =
                row.cases.isEmpty
                ? "**not covered**"
                : row.cases.map { "`\($0.name)` (\($0.level.rawValue))" }.joined(separator: "<br>")
            lines.append(
                "| `\(row.rule.id)` | \(Self.cell(row.rule.text)) | \(Self.cell(row.rule.source)) | \(cases) |"
            )
        }
        lines.append("")
        lines.append("\(covered) of \(rows.count) rules covered.")
        return lines.joined(separator: "\n")
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}
