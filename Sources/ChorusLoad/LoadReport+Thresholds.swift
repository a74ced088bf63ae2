extension LoadReport {
    /// Judges the run against `thresholds`: records a verdict for each (none when there are none)
    /// and adds every threshold not met, or not measured, to ``failures``.
    public mutating func judge(_ thresholds: [Threshold]) {
        guard !thresholds.isEmpty else { return }
        let verdicts = thresholds.map { ThresholdVerdict($0, report: self) }
        self.thresholds = verdicts
        failures += verdicts.filter { !$0.passed }.map { "threshold \($0.metric): \($0.message)" }
    }
}
