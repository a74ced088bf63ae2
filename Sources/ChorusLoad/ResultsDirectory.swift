package import Foundation

/// Where runs are kept: `<root>/<scenario>/<stamp>.{json,md,html,svg}`, plus `<root>/README.md`
/// and `<root>/index.html`, indexes of every run regenerated after each write.
public struct ResultsDirectory: Sendable {
    public var root: String

    public init(root: String) {
        self.root = root
    }

    /// Writes a run's JSON, Markdown summary, HTML page (`<stamp>.html`, with the comparison when
    /// given the `baseline`), latency plot, when it has a time series its plot over time
    /// (`<stamp>-time.svg`) and when its scenario has thresholds their JUnit XML
    /// (`<stamp>.junit.xml`); then both indexes. Returns the JSON path.
    @discardableResult
    public func write(_ report: LoadReport, baseline: HTMLSummary.Baseline? = nil) throws -> String {
        let directory = "\(root)/\(report.scenario)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let base = "\(directory)/\(report.stamp)"
        try LoadReport.encoder.encode(report).write(to: URL(fileURLWithPath: base + ".json"))
        try report.latencyPlot.svg.write(toFile: base + ".svg", atomically: true, encoding: .utf8)
        var timePlotFile: String?
        if let plot = report.timeSeriesPlot {
            let file = "\(report.stamp)-time.svg"
            try plot.svg.write(toFile: "\(directory)/\(file)", atomically: true, encoding: .utf8)
            timePlotFile = file
        }
        let page = HTMLSummary(report: report, baseline: baseline).document
        try page.write(toFile: base + ".html", atomically: true, encoding: .utf8)
        if let junit = report.junitXML {
            try junit.write(toFile: base + ".junit.xml", atomically: true, encoding: .utf8)
        }
        let summary = MarkdownSummary(report: report, plotFile: "\(report.stamp).svg", timePlotFile: timePlotFile)
        try summary.text.write(toFile: base + ".md", atomically: true, encoding: .utf8)
        try writeIndex()
        return base + ".json"
    }

    /// Every run report under the root, oldest first within each scenario.
    public func reports() -> [(path: String, report: LoadReport)] {
        let files = FileManager.default
        guard let scenarios = try? files.contentsOfDirectory(atPath: root) else { return [] }
        var found: [(path: String, report: LoadReport)] = []
        for scenario in scenarios.sorted() {
            let directory = "\(root)/\(scenario)"
            guard let names = try? files.contentsOfDirectory(atPath: directory) else { continue }
            for name in names.sorted() where name.hasSuffix(".json") {
                let path = "\(directory)/\(name)"
                if let report = try? LoadReport.read(path: path) { found.append(("\(scenario)/\(name)", report)) }
            }
        }
        return found
    }

    /// Regenerates `README.md` and `index.html` from the reports on disk.
    public func writeIndex() throws {
        let reports = reports()
        try writeHTMLIndex(reports)
        var lines = [
            "# Load results",
            "",
            "Written by `chorus load` (see `docs/load.md`); this index is regenerated after every run.",
            "Latencies in ms; CPU in percent of one core over the measured phase. `baseline.json` files are the",
            "committed baselines the CI gate compares with. [ceiling.md](ceiling.md) shows the generator's own ceiling.",
            "[index.html](index.html) lists the same runs with their threshold verdicts, each linked to its HTML page.",
            "",
            "| run | result | subscribers | p50 | p99 | p99.9 | max | deliveries/s | lost | generator CPU | server CPU |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for (path, r) in reports {
            let summary = path.hasSuffix("baseline.json") ? path : path.replacingOccurrences(of: ".json", with: ".md")
            let cpu = { (usage: ProcessUsage?) in usage.map { "\(Figure.text($0.cpuPercent)) %" } ?? "–" }
            lines.append(
                "| [\(path)](\(summary)) | \(r.passed ? "pass" : "FAIL") | \(r.setup.subscribers) "
                    + "| \(Figure.text(r.latency.p50)) | \(Figure.text(r.latency.p99)) | \(Figure.text(r.latency.p999)) "
                    + "| \(Figure.text(r.latency.max)) | \(Figure.text(r.deliveries.perSecond)) | \(r.deliveries.lost) "
                    + "| \(cpu(r.generator)) | \(cpu(r.server)) |"
            )
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: "\(root)/README.md", atomically: true, encoding: .utf8)
    }
}

extension LoadReport {
    package static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }

    /// Reads a report (a run result or a baseline) from a JSON file.
    public static func read(path: String) throws -> LoadReport {
        try JSONDecoder().decode(LoadReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
