import Foundation

/// An SVG of a run over time, one stacked panel per figure sharing the time axis: the server's
/// RSS and open descriptors (with `--server-pid`), p99 latency of each interval and deliveries/s.
public struct TimeSeriesPlot: Sendable {
    public var title: String
    public var series: TimeSeries

    private let width = 720.0
    private let panelHeight = 150.0
    private let margin = (left: 72.0, right: 20.0, top: 36.0, bottom: 40.0)
    private let gap = 28.0

    public init(title: String, series: TimeSeries) {
        self.title = title
        self.series = series
    }

    /// The panels drawn: figures without any value are left out.
    private var panels: [(label: String, color: String, values: [(x: Double, y: Double)])] {
        let points = series.points
        let candidates: [(String, String, [(x: Double, y: Double)])] = [
            ("server RSS (MiB)", "#d62728", points.compactMap { p in p.serverRSSMiB.map { (p.seconds, $0) } }),
            (
                "server open fds", "#2ca02c",
                points.compactMap { p in p.serverDescriptors.map { (p.seconds, Double($0)) } }
            ),
            ("p99 latency (ms)", "#1f77b4", points.map { ($0.seconds, $0.p99Milliseconds) }),
            ("deliveries/s", "#9467bd", points.map { ($0.seconds, $0.deliveriesPerSecond) }),
        ]
        return candidates.filter { !$0.2.isEmpty }.map { (label: $0.0, color: $0.1, values: $0.2) }
    }

    /// The chart as a standalone SVG document.
    public var svg: String {
        let panels = panels
        let height = margin.top + Double(panels.count) * (panelHeight + gap) - gap + margin.bottom
        let plotWidth = width - margin.left - margin.right
        let end = max(series.points.last?.seconds ?? 1, 1)
        func x(_ seconds: Double) -> Double { margin.left + seconds / end * plotWidth }
        var out = SVG.start(width: width, height: height, title: title)
        for (index, panel) in panels.enumerated() {
            let top = margin.top + Double(index) * (panelHeight + gap)
            let low = min(panel.values.map(\.y).min() ?? 0, 0)
            let high = max(panel.values.map(\.y).max() ?? 1, low + 1) * 1.1
            func y(_ value: Double) -> Double { top + panelHeight * (1 - (value - low) / (high - low)) }
            out += SVG.line(margin.left, top + panelHeight, width - margin.right, top + panelHeight, color: "#999")
            out += SVG.line(margin.left, top, margin.left, top + panelHeight, color: "#999")
            for step in 0...2 {
                let value = low + (high - low) * Double(step) / 2
                out += SVG.line(margin.left, y(value), width - margin.right, y(value), color: "#eee")
                out += SVG.text(margin.left - 6, y(value) + 4, Figure.text(value.rounded()), anchor: "end")
            }
            out += SVG.text(margin.left + 6, top + 12, panel.label, anchor: "start")
            let coordinates = panel.values.map { "\(SVG.number(x($0.x))),\(SVG.number(y($0.y)))" }
            out += "<polyline fill=\"none\" stroke=\"\(panel.color)\" stroke-width=\"1.5\" "
            out += "points=\"\(coordinates.joined(separator: " "))\"/>\n"
        }
        let axis = height - margin.bottom + 16
        for step in 0...4 {
            let seconds = end * Double(step) / 4
            out += SVG.text(x(seconds), axis, "\(Int(seconds)) s", anchor: "middle")
        }
        out += "</svg>\n"
        return out
    }
}
