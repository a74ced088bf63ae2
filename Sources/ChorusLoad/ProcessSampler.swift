import Foundation

/// Reads one process's CPU time and memory from `/proc/<pid>`.
public struct ProcessSampler: Sendable {
    /// One reading: cumulative CPU seconds and memory now.
    public struct Sample: Sendable, Hashable {
        public var cpuSeconds: Double
        public var rssMiB: Double
        public var peakRSSMiB: Double

        package init(cpuSeconds: Double, rssMiB: Double, peakRSSMiB: Double) {
            self.cpuSeconds = cpuSeconds
            self.rssMiB = rssMiB
            self.peakRSSMiB = peakRSSMiB
        }
    }

    public let pid: Int32
    private let directory: String

    /// Samples `pid`, or this process when `nil`.
    public init(pid: Int32?) {
        self.pid = pid ?? ProcessInfo.processInfo.processIdentifier
        self.directory = pid.map { "/proc/\($0)" } ?? "/proc/self"
    }

    /// The current reading, `nil` when `/proc` has no such process.
    public func sample() -> Sample? {
        guard let stat = try? String(contentsOfFile: "\(directory)/stat", encoding: .utf8),
            let status = try? String(contentsOfFile: "\(directory)/status", encoding: .utf8),
            let cpu = Self.cpuSeconds(stat: stat)
        else { return nil }
        return Sample(
            cpuSeconds: cpu,
            rssMiB: Self.kibibytes("VmRSS:", in: status) / 1_024,
            peakRSSMiB: Self.kibibytes("VmHWM:", in: status) / 1_024
        )
    }

    /// How many descriptors the process has open (entries of `/proc/<pid>/fd`), `nil` when unreadable.
    public func openDescriptors() -> Int? {
        try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/fd").count
    }

    /// Usage between two readings `seconds` apart.
    public func usage(from start: Sample, to end: Sample, seconds: Double) -> ProcessUsage {
        let cpu = end.cpuSeconds - start.cpuSeconds
        return ProcessUsage(
            pid: pid,
            cpuSeconds: cpu,
            cpuPercent: seconds > 0 ? cpu / seconds * 100 : 0,
            rssMiB: end.rssMiB,
            peakRSSMiB: end.peakRSSMiB
        )
    }

    /// utime + stime (fields 14 and 15) of `/proc/<pid>/stat`, in seconds.
    static func cpuSeconds(stat: String) -> Double? {
        // The command name (field 2) may contain spaces; fields are counted after its closing parenthesis.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so utime (14) is fields[11] and stime (15) fields[12].
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func kibibytes(_ key: String, in status: String) -> Double {
        for line in status.split(separator: "\n") where line.hasPrefix(key) {
            let number = line.dropFirst(key.count).split(whereSeparator: \.isWhitespace).first
            return number.flatMap { Double($0) } ?? 0
        }
        return 0
    }
}
