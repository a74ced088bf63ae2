import ChorusHTML
import Foundation

extension ConformanceReport {
    /// The results as one HTML page (`conformance.html`): the counts and the run's verdict, then a
    /// row per case with its outcome, level, the first mismatch of a failure or the reason for a
    /// skip, the rule it checks and the document it cites.
    public var html: String {
        let rows = results.map { result in
            let tone = tone(result)
            return HTMLTable.Row(
                [
                    .verdict(mark(result), tone),
                    HTML(result.level.rawValue),
                    HTML("code", HTML(result.name)),
                    HTML("span", attributes: ["class": "detail"], HTML(result.detail ?? "")),
                    HTML(result.rule.map { "\($0.id): \($0.text)" } ?? ""),
                    HTML(result.rule?.source ?? result.source),
                    HTML(result.requires.joined(separator: ", ")),
                    HTML(result.tags.joined(separator: ", ")),
                ],
                tone: tone
            )
        }
        let counts = HTMLTable(
            header: ["passed", "failed", "failed (must)", "warnings (should)", "notes (info)", "skipped"],
            rows: [
                HTMLTable.Row(text: [
                    "\(passed)", "\(failed)", "\(mustFailures)", "\(warnings)", "\(notes)", "\(skipped)",
                ])
            ],
            id: "counts"
        )
        let cases = HTMLTable(
            header: ["result", "level", "case", "first mismatch or skip reason", "rule", "source", "requires", "tags"],
            rows: rows,
            id: "cases"
        )
        let stamp = ISO8601DateFormatter().string(from: timestamp)
        return HTMLPage(
            title: "Conformance against \(target): \(failsRun ? "FAILED" : "passed")",
            body: [
                HTML("h1", HTML("Conformance against \(target)")),
                HTML(
                    "p",
                    attributes: ["id": "verdict"],
                    .verdict(failsRun ? "FAILED" : "PASSED", failsRun ? .fail : .pass),
                    HTML(
                        " \(results.count) cases, run at \(stamp)" + (strict ? "; strict: warnings fail the run." : ".")
                    )
                ),
                counts.html,
                HTML("h2", HTML("Cases")),
                .hidePassedToggle(id: "hide-passed", label: "show only failures and skips"),
                cases.html,
            ]
        ).document
    }

    /// A failure that fails the run is red, one that does not (a warning, a note) amber.
    private func tone(_ result: CaseResult) -> HTMLTone {
        switch result.outcome {
        case .passed: .pass
        case .skipped: .skip
        case .failed: failsRun(result) ? .fail : .warn
        }
    }
}
