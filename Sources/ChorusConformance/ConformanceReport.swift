public import Foundation

/// The results of a run rendered for people (a table) and machines (JUnit XML, JSON).
public struct ConformanceReport: Sendable {
    public var target: String
    public var results: [CaseResult]

    public init(target: String, results: [CaseResult]) {
        self.target = target
        self.results = results
    }

    public var passed: Int { results.filter { $0.outcome == .passed }.count }
    public var failed: Int { results.filter { $0.outcome == .failed }.count }
    public var skipped: Int { results.filter { $0.outcome == .skipped }.count }

    /// A pass/fail table; each failure is followed by its first mismatch, each skip by its reason.
    public var table: String {
        let width = min(70, results.map(\.name.count).max() ?? 10)
        var lines = ["RESULT  " + "CASE".padding(toLength: width, withPad: " ", startingAt: 0) + "  TAGS"]
        for result in results {
            let mark =
                switch result.outcome {
                case .passed: "pass  "
                case .failed: "FAIL  "
                case .skipped: "skip  "
                }
            lines.append(
                "\(mark)  \(result.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(result.tags.joined(separator: ","))"
            )
            if let detail = result.detail, result.outcome != .passed {
                lines.append("        \(result.outcome == .failed ? "mismatch" : "reason"): \(detail)")
                if result.outcome == .failed { lines.append("        source: \(result.source)") }
            }
        }
        lines.append("\(passed) passed, \(failed) failed, \(skipped) skipped against \(target)")
        return lines.joined(separator: "\n")
    }

    /// JUnit XML, one testcase per case.
    public var junitXML: String {
        let total = results.reduce(0) { $0 + $1.durationSeconds }
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml +=
            #"<testsuite name="chorus-conformance" tests="\#(results.count)" failures="\#(failed)" skipped="\#(skipped)" time="\#(String(format: "%.3f", total))">"#
            + "\n"
        for result in results {
            let classname = Self.escape(result.tags.first ?? "conformance")
            xml +=
                #"  <testcase classname="\#(classname)" name="\#(Self.escape(result.name))" time="\#(String(format: "%.3f", result.durationSeconds))">"#
            switch result.outcome {
            case .passed: break
            case .failed:
                xml +=
                    "\n"
                    + #"    <failure message="\#(Self.escape(result.detail ?? ""))">source: \#(Self.escape(result.source))</failure>"#
                    + "\n  "
            case .skipped:
                xml += "\n" + #"    <skipped message="\#(Self.escape(result.detail ?? ""))"/>"# + "\n  "
            }
            xml += "</testcase>\n"
        }
        return xml + "</testsuite>\n"
    }

    /// The results as JSON: `{target, passed, failed, skipped, cases: [...]}`.
    public func json() throws -> Data {
        struct Document: Encodable {
            var target: String
            var passed: Int
            var failed: Int
            var skipped: Int
            var cases: [CaseResult]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(
            Document(target: target, passed: passed, failed: failed, skipped: skipped, cases: results)
        )
    }

    /// Writes `conformance.xml` and `conformance.json` into `directory`.
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(junitXML.utf8).write(to: directory.appendingPathComponent("conformance.xml"))
        try json().write(to: directory.appendingPathComponent("conformance.json"))
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "\n", with: "&#10;")
    }
}
