import ChorusHTML

/// The page of a run, written beside its JSON as `<stamp>.html`: the summary's tables, the
/// threshold verdicts, the latency and time series plots inline, and with `--baseline` the
/// comparison with the baseline. One file that opens offline.
public struct HTMLSummary: Sendable {
    /// The run a run was compared with (`chorus load --baseline FILE --tolerance X`).
    public struct Baseline: Sendable {
        /// What the page calls it: the file it was read from.
        public var label: String
        public var report: LoadReport
        public var tolerance: Double

        public init(label: String, report: LoadReport, tolerance: Double) {
            self.label = label
            self.report = report
            self.tolerance = tolerance
        }
    }

    public var report: LoadReport
    /// `nil` for a run given no baseline: the page then has no comparison section.
    public var baseline: Baseline?

    public init(report: LoadReport, baseline: Baseline? = nil) {
        self.report = report
        self.baseline = baseline
    }

    /// The page as one HTML document.
    public var document: String {
        let r = report
        var body = [
            HTML("h1", HTML("\(r.scenario) — \(r.stamp)")),
            HTML(
                "p",
                attributes: ["id": "verdict"],
                content: [
                    .verdict(r.passed ? "PASSED" : "FAILED", r.passed ? .pass : .fail),
                    HTML(" against \(r.targetText) (app \(r.target.appID))."),
                ] + headlineRegression
            ),
        ]
        if let targets = r.targetTable { body.append(targets.html(id: "targets")) }
        body += [
            HTML("p", HTML(r.setupText)),
            .columns([
                HTML("h2", HTML("Delivery latency")) + r.latencyTable.html(id: "latency")
                    + Self.plot(r.latencyPlot.svg),
                HTML("h2", HTML("Figures")) + r.figureTable.html(id: "figures") + HTML("h2", HTML("Thresholds"))
                    + (r.thresholdTable?.html(id: "thresholds", verdictColumn: 3)
                        ?? HTML("p", attributes: ["id": "thresholds"], HTML("No thresholds: the scenario states none."))),
            ]),
        ]
        body += failureSections
        if let workloads = r.workloadTable { body += [HTML("h2", HTML("Workloads")), workloads.html(id: "workloads")] }
        body += historySection + timeSeriesSection + comparisonSection
        return HTMLPage(title: "\(r.scenario) \(r.stamp): \(r.passed ? "passed" : "FAILED")", body: body).document
    }

    /// An SVG of this program's plotters (text in it escaped by ``SVG``), inline.
    static func plot(_ svg: String) -> HTML {
        HTML("div", attributes: ["class": "plot"], HTML(markup: svg))
    }

    private var failureSections: [HTML] {
        var sections: [HTML] = []
        if !report.failures.isEmpty {
            sections += [
                HTML("h2", HTML("Failures")),
                HTML("ul", attributes: ["id": "failures"], content: report.failures.map { HTML("li", HTML($0)) }),
            ]
        }
        if !report.errors.samples.isEmpty {
            sections += [
                HTML("h2", HTML("Error samples")),
                HTML("ul", content: report.errors.samples.map { HTML("li", HTML("code", HTML($0))) }),
            ]
        }
        return sections
    }

    private var historySection: [HTML] {
        guard let table = report.historyTable else { return [] }
        return [
            HTML("h2", HTML("History check")),
            HTML("p", HTML("Every acknowledged event read back from each channel's history.")),
            table.html(id: "history"),
        ] + (report.historyLatencyText.map { [HTML("p", HTML($0))] } ?? [])
    }

    private var timeSeriesSection: [HTML] {
        guard let table = report.timeSeriesTable, let plot = report.timeSeriesPlot else { return [] }
        return [
            HTML("h2", HTML("Over time")),
            .columns([
                Self.plot(plot.svg),
                HTML("p", HTML(report.timeSeriesCaption ?? "")) + table.html(id: "time-series")
                    + HTML("p", HTML(report.trendText ?? "")),
            ]),
        ]
    }
}
