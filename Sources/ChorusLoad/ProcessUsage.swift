/// CPU and memory a process used during the measured phase, from Linux `/proc`.
public struct ProcessUsage: Sendable, Hashable, Codable {
    public var pid: Int32
    /// User + system CPU seconds spent during the phase.
    public var cpuSeconds: Double
    /// ``cpuSeconds`` over the phase's wall time, in percent of one core.
    public var cpuPercent: Double
    /// Resident set size at the end, in MiB.
    public var rssMiB: Double
    /// Peak resident set size (`VmHWM`), in MiB.
    public var peakRSSMiB: Double

    public init(pid: Int32, cpuSeconds: Double, cpuPercent: Double, rssMiB: Double, peakRSSMiB: Double) {
        self.pid = pid
        self.cpuSeconds = cpuSeconds
        self.cpuPercent = cpuPercent
        self.rssMiB = rssMiB
        self.peakRSSMiB = peakRSSMiB
    }

    enum CodingKeys: String, CodingKey {
        case pid
        case cpuSeconds = "cpu_seconds", cpuPercent = "cpu_percent", rssMiB = "rss_mib", peakRSSMiB = "peak_rss_mib"
    }
}
