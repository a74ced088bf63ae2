import ChorusJUnit
import Foundation

extension LoadReport {
    /// The threshold verdicts as JUnit XML: one suite for the run (`chorus-load.<scenario>`, timed by
    /// the measured phase), one test case per threshold, a `<failure>` for each not met or not
    /// measured. `nil` when the scenario has no thresholds.
    public var junitXML: String? {
        guard let thresholds else { return nil }
        let classname = "chorus-load.\(scenario)"
        let cases = thresholds.map { verdict in
            JUnitReport.Case(
                name: "\(verdict.metric) \(verdict.comparison) \(Figure.text(verdict.limit))",
                classname: classname,
                outcome: verdict.passed
                    ? .passed : .failed(type: "threshold \(verdict.outcome.rawValue)", message: verdict.message)
            )
        }
        let suite = JUnitReport.Suite(
            name: classname,
            timestamp: ReportBuilder.date(stamp: stamp) ?? Date(),
            seconds: deliveries.seconds,
            cases: cases
        )
        return JUnitReport(suites: [suite]).xml
    }
}
