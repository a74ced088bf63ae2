import Foundation

/// An SVG line chart of latency percentile curves, one run's or several runs' for comparison:
/// x is the percentile on a "nines" scale (0, 90, 99, 99.9, …), y the latency in milliseconds.
public struct LatencyPlot: Sendable {
    /// One run's curve and its name in the legend.
    public struct Series: Sendable {
        public var label: String
        public var curve: [LatencySummary.Point]

        public init(label: String, curve: [LatencySummary.Point]) {
            self.label = label
            self.curve = curve
        }
    }

    public var title: String
    public var series: [Series]

    private let width = 640.0
    private let height = 360.0
    private let margin = (left: 64.0, right: 20.0, top: 36.0, bottom: 48.0)
    /// The x axis ends at 99.999 % (five nines).
    private let maximumNines = 5.0

    private let colors = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e"]

    /// One run's curve, without a legend.
    public init(title: String, curve: [LatencySummary.Point]) {
        self.init(title: title, series: [Series(label: "", curve: curve)])
    }

    /// Several curves on the same axes, with a legend.
    public init(title: String, series: [Series]) {
        self.title = title
        self.series = series
    }

    /// The chart as a standalone SVG document.
    public var svg: String {
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        let top = max(niceCeiling(series.flatMap(\.curve).map(\.milliseconds).max() ?? 1), 0.001)
        func x(_ percentile: Double) -> Double { margin.left + nines(percentile) / maximumNines * plotWidth }
        func y(_ ms: Double) -> Double { margin.top + plotHeight * (1 - min(ms, top) / top) }

        var out = SVG.start(width: width, height: height, title: title)
        for step in 0...4 {
            let value = top * Double(step) / 4
            let lineY = y(value)
            out += SVG.line(margin.left, lineY, width - margin.right, lineY, color: "#ddd")
            out += SVG.text(margin.left - 6, lineY + 4, Figure.text(value), anchor: "end")
        }
        for (index, label) in ["0%", "90%", "99%", "99.9%", "99.99%", "99.999%"].enumerated() {
            let lineX = margin.left + Double(index) / maximumNines * plotWidth
            out += SVG.line(lineX, margin.top, lineX, height - margin.bottom, color: "#ddd")
            out += SVG.text(lineX, height - margin.bottom + 16, label, anchor: "middle")
        }
        out += SVG.text(margin.left + plotWidth / 2, height - 8, "percentile", anchor: "middle")
        out += "<text x=\"14\" y=\"\(Int(margin.top + plotHeight / 2))\" text-anchor=\"middle\" "
        out += "transform=\"rotate(-90 14 \(Int(margin.top + plotHeight / 2)))\">latency (ms)</text>\n"
        for (index, one) in series.enumerated() {
            let color = colors[index % colors.count]
            let points = one.curve.map { "\(SVG.number(x($0.percentile))),\(SVG.number(y($0.milliseconds)))" }
            out +=
                "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>\n"
            if series.count > 1 {
                let legendY = margin.top + 14 + Double(index) * 16
                out += SVG.line(margin.left + 10, legendY - 4, margin.left + 30, legendY - 4, color: color)
                out += SVG.text(margin.left + 36, legendY, one.label, anchor: "start")
            }
        }
        out += "</svg>\n"
        return out
    }

    /// How many nines a percentile has: 90 → 1, 99 → 2; capped at ``maximumNines``.
    private func nines(_ percentile: Double) -> Double {
        let remaining = max(100 - percentile, 0)
        guard remaining > 0 else { return maximumNines }
        return min(max(-log10(remaining / 100), 0), maximumNines)
    }

    private func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let magnitude = pow(10, (log10(value)).rounded(.down))
        for factor in [1.0, 2, 2.5, 5, 10] where factor * magnitude >= value {
            return factor * magnitude
        }
        return 10 * magnitude
    }
}
