import ChorusHTML

/// `<root>/index.html`: every run under a results directory with its verdict (passed or failed,
/// and its thresholds' verdicts or that it has none), each linking to the run's page.
public struct ResultsIndex: Sendable {
    /// One run: its report's path under the root (`smoke/20250101T000000Z.json`), the page linked
    /// (its `.html`, or the JSON when the run has no page) and the report.
    public struct Entry: Sendable {
        public var path: String
        public var link: String
        public var report: LoadReport

        public init(path: String, link: String, report: LoadReport) {
            self.path = path
            self.link = link
            self.report = report
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// `all 4 passed`, `1 of 4 failed`, or `no thresholds`.
    static func thresholdVerdict(_ report: LoadReport) -> (text: String, tone: HTMLTone?) {
        guard let thresholds = report.thresholds, !thresholds.isEmpty else { return ("no thresholds", nil) }
        let failed = thresholds.filter { !$0.passed }.count
        return failed == 0
            ? ("all \(thresholds.count) passed", .pass) : ("\(failed) of \(thresholds.count) failed", .fail)
    }

    /// The page as one HTML document.
    public var document: String {
        let f = Figure.text as (Double) -> String
        let rows = entries.map { entry in
            let r = entry.report
            let thresholds = Self.thresholdVerdict(r)
            return HTMLTable.Row(
                [
                    .link(entry.path, to: entry.link),
                    .verdict(r.passed ? "pass" : "FAIL", r.passed ? .pass : .fail),
                    thresholds.tone.map { HTML.verdict(thresholds.text, $0) } ?? HTML(thresholds.text),
                    HTML("\(r.setup.subscribers)"), HTML(f(r.latency.p50)), HTML(f(r.latency.p99)),
                    HTML(f(r.deliveries.perSecond)), HTML("\(r.deliveries.lost)"),
                ],
                tone: r.passed ? nil : .fail
            )
        }
        let passed = entries.filter(\.report.passed).count
        return HTMLPage(
            title: "Load results",
            body: [
                HTML("h1", HTML("Load results")),
                HTML(
                    "p",
                    attributes: ["class": "meta"],
                    HTML(
                        "\(entries.count) runs, \(passed) passed. Written by chorus load after every run and by "
                            + "chorus load index; latencies in ms. Each run links to its page."
                    )
                ),
                HTMLTable(
                    header: ["run", "result", "thresholds", "subscribers", "p50", "p99", "deliveries/s", "lost"],
                    rows: rows,
                    id: "runs"
                ).html,
            ]
        ).document
    }
}
