import ChorusJUnit
public import Foundation

/// The results of a run rendered for people (a table) and machines (JUnit XML, JSON).
///
/// Each case carries its level: a failed **must** case fails the run, a failed **should** case is a
/// warning (an error when `strict`), a failed **info** case a note.
public struct ConformanceReport: Sendable {
    public var target: String
    public var results: [CaseResult]
    /// Whether should-level failures fail the run too.
    public var strict: Bool
    /// When the run ended; the JUnit suite's timestamp.
    public var timestamp: Date

    public init(target: String, results: [CaseResult], strict: Bool = false, timestamp: Date = Date()) {
        self.target = target
        self.results = results
        self.strict = strict
        self.timestamp = timestamp
    }

    public var passed: Int { results.filter { $0.outcome == .passed }.count }
    public var failed: Int { results.filter { $0.outcome == .failed }.count }
    public var skipped: Int { results.filter { $0.outcome == .skipped }.count }
    public var mustFailures: Int { results.filter(\.isMustFailure).count }
    public var warnings: Int { results.filter(\.isWarning).count }
    public var notes: Int { results.filter(\.isNote).count }

    /// Whether the run fails: any must failure, or any should failure when strict.
    public var failsRun: Bool { mustFailures > 0 || (strict && warnings > 0) }

    /// Whether this failed case fails the run: a must case, or a should case when strict.
    func failsRun(_ result: CaseResult) -> Bool {
        result.isMustFailure || (strict && result.isWarning)
    }

    /// How the table and the page mark a case: `pass`, `skip`, `FAIL`, `WARN` or `note`.
    func mark(_ result: CaseResult) -> String {
        switch result.outcome {
        case .passed: "pass"
        case .skipped: "skip"
        case .failed:
            switch result.level {
            case .must: "FAIL"
            case .should: strict ? "FAIL" : "WARN"
            case .info: "note"
            }
        }
    }

    /// A table of cases with their level; each failure is followed by its first mismatch, the rule it
    /// checks and the document it comes from, each skip by its reason.
    public var table: String {
        let width = min(70, results.map(\.name.count).max() ?? 10)
        var lines = [
            "RESULT  LEVEL   " + "CASE".padding(toLength: width, withPad: " ", startingAt: 0) + "  REQUIRES  TAGS"
        ]
        for result in results {
            let requires = result.requires.isEmpty ? "-" : result.requires.joined(separator: ",")
            lines.append(
                "\(mark(result).padding(toLength: 6, withPad: " ", startingAt: 0))  "
                    + "\(result.level.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0))  "
                    + "\(result.name.padding(toLength: width, withPad: " ", startingAt: 0))  "
                    + "\(requires)  \(result.tags.joined(separator: ","))"
            )
            if let detail = result.detail, result.outcome != .passed {
                lines.append("        \(result.outcome == .failed ? "mismatch" : "reason"): \(detail)")
                if result.outcome == .failed {
                    if let rule = result.rule { lines.append("        rule: \(rule.id): \(rule.text)") }
                    lines.append("        source: \(result.rule?.source ?? result.source)")
                }
            }
        }
        lines.append(
            "\(passed) passed, \(mustFailures) failed (must), \(warnings) warnings (should), \(notes) notes (info), "
                + "\(skipped) skipped against \(target)" + (strict ? " (strict: warnings fail the run)" : "")
        )
        return lines.joined(separator: "\n")
    }

    /// JUnit XML, one testcase per case with its level, capabilities, rule and source as properties.
    /// Failures that fail the run are `<failure>`s; warnings and notes go to `<system-out>`.
    public var junitXML: String {
        let cases = results.map { result in
            var properties = [
                JUnitReport.Property("level", result.level.rawValue),
                JUnitReport.Property("source", result.rule?.source ?? result.source),
            ]
            if !result.requires.isEmpty {
                properties.append(JUnitReport.Property("requires", result.requires.joined(separator: ",")))
            }
            if let rule = result.rule {
                properties += [JUnitReport.Property("rule", rule.id), JUnitReport.Property("rule_text", rule.text)]
            }
            var outcome = JUnitReport.Outcome.passed
            var output: String?
            switch result.outcome {
            case .passed: break
            case .failed where failsRun(result):
                outcome = .failed(type: result.level.rawValue, message: result.detail ?? "", detail: result.ruleLine)
            case .failed:
                let kind = result.level == .should ? "warning" : "note"
                output = "\(kind) (\(result.level.rawValue)): \(result.detail ?? "") — \(result.ruleLine)"
            case .skipped:
                outcome = .skipped(message: result.detail ?? "")
            }
            return JUnitReport.Case(
                name: result.name,
                classname: result.tags.first ?? "conformance",
                seconds: result.durationSeconds,
                outcome: outcome,
                properties: properties,
                output: output
            )
        }
        let suite = JUnitReport.Suite(
            name: "chorus-conformance",
            timestamp: timestamp,
            seconds: results.reduce(0) { $0 + $1.durationSeconds },
            cases: cases
        )
        return JUnitReport(suites: [suite]).xml
    }

    /// The results as JSON: `{target, strict, passed, failed, must_failures, warnings, notes, skipped,
    /// cases: [...]}`, each case with its level, requires, rule, outcome and detail.
    public func json() throws -> Data {
        struct Document: Encodable {
            var target: String
            var strict: Bool
            var passed: Int
            var failed: Int
            var mustFailures: Int
            var warnings: Int
            var notes: Int
            var skipped: Int
            var cases: [CaseResult]

            enum CodingKeys: String, CodingKey {
                case target, strict, passed, failed, warnings, notes, skipped, cases
                case mustFailures = "must_failures"
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(
            Document(
                target: target,
                strict: strict,
                passed: passed,
                failed: failed,
                mustFailures: mustFailures,
                warnings: warnings,
                notes: notes,
                skipped: skipped,
                cases: results
            )
        )
    }

    /// Writes `conformance.xml`, `conformance.json` and `conformance.html` into `directory`.
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(junitXML.utf8).write(to: directory.appendingPathComponent("conformance.xml"))
        try json().write(to: directory.appendingPathComponent("conformance.json"))
        try Data(html.utf8).write(to: directory.appendingPathComponent("conformance.html"))
    }
}
