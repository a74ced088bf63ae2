import Foundation

/// How the parent of a `chorus load --workers N` run starts its workers: this executable again,
/// with the run's own arguments plus the hidden `--worker-index I`, so each worker reads the same
/// scenario and target as the parent.
public struct WorkerLaunch: Sendable, Hashable {
    /// The most workers a run starts: each takes its own loopback address, 127.0.0.2 onwards.
    public static let maximumCount = 64
    /// The hidden option, without its dashes, that makes `chorus load` worker `I` of the run.
    public static let indexOption = "worker-index"

    /// How many worker processes.
    public var count: Int
    /// The executable started.
    public var executable: String
    /// The parent's arguments (without the executable), `--workers N` among them.
    public var arguments: [String]

    /// Throws for a count outside 1...``maximumCount``.
    public init(count: Int, arguments: [String], executable: String? = nil) throws(LoadError) {
        guard (1...Self.maximumCount).contains(count) else {
            throw .badWorkerCount(count, maximum: Self.maximumCount)
        }
        self.count = count
        self.arguments = arguments
        self.executable = executable ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
    }

    /// The arguments worker `index` is started with.
    package func arguments(forWorker index: Int) -> [String] {
        arguments + ["--\(Self.indexOption)", "\(index)"]
    }
}
