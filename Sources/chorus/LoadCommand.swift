import ArgumentParser
import ChorusLoad
import Foundation

/// `chorus load [run]`: drives a Pusher-compatible server with a scenario and records what it measured.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a load scenario against a Pusher-compatible server (see docs/load.md).",
        discussion: """
            Writes <out>/<scenario>/<stamp>.{json,md,html,svg} (and .junit.xml with thresholds) and regenerates \
            <out>/README.md and <out>/index.html. Exits 1 when the run fails (loss, errors, thresholds) or regresses against \
            --baseline, 2 when it cannot run.
            """
    )

    @Argument(help: "Scenario file (YAML or JSON), or the name of a bundled one (smoke, fanout-10k, ...).")
    var scenario: String

    @Option(
        name: .customLong("target"),
        help: ArgumentHelp(
            "A server as host:port, ws://host:port or http://host:port, or wss://host:port or https://host:port for TLS (repeatable: each channel's subscribers go round robin over them).",
            valueName: "address"
        )
    )
    var targets: [String] = []
    @Option(
        help: ArgumentHelp(
            "The index (from 0) of the target publishes go to (default: the scenario's publish_target, else 0).",
            valueName: "index"
        )
    )
    var publishTarget: Int?
    @Option(help: "Server host, for one server (default 127.0.0.1; or use --target).") var host: String?
    @Option(help: "Server port (WebSocket and HTTP API), for one server (default 6001).") var port: Int?
    @Option(help: "App id.") var appID = "1"
    @Option(help: "App key.") var key = "chorus-key"
    @Option(help: "App secret (signs the HTTP API and channel auth).") var secret = "chorus-secret"
    @Option(help: "Results directory.") var out = "results"
    @Option(help: "Server process id, to report its CPU and memory.") var serverPID: Int32?
    @Option(help: "A committed run report (JSON) to compare with; regressions exit 1.") var baseline: String?
    @Option(help: "Allowed regression against the baseline: 0.5 lets p99 grow by 50 % and throughput fall to 1/1.5.")
    var tolerance = 0.5
    @Option(help: "Publish for this many seconds instead of the scenario's events or duration_seconds.")
    var duration: Double?
    @Flag(help: "Offer permessage-deflate on every connection, as browsers do.") var permessageDeflate = false
    @Flag(help: "Speak TLS (wss://, https://) to every server; implied by a wss:// or https:// target or --ca-file.")
    var tls = false
    @Option(help: "PEM file of the CA certificates trusted for TLS instead of the system's roots (implies --tls).")
    var caFile: String?
    @Flag(help: "Do not write result files.") var noWrite = false
    @OptionGroup var outputOptions: LoadOutputOptions
    @Option(
        help: ArgumentHelp(
            "Split the subscribers over this many generator processes, each with its own descriptor limit and loopback source address (up to 10,000 subscribers each; default: the scenario's workers, else 1 process; see docs/load.md).",
            valueName: "count"
        )
    )
    var workers: Int?
    /// Set by the parent of a `--workers` run on each worker it starts.
    @Option(name: .customLong(WorkerLaunch.indexOption), help: .hidden) var workerIndex: Int?

    func run() async throws {
        let output = outputOptions.output
        let report: LoadReport
        let baselineReport: LoadReport?
        do {
            let file = try BundledScenarios.file(for: scenario)
            var loaded = try ScenarioParser.load(path: file, processes: workers)
            if let duration {
                loaded = try ScenarioParser(source: file, processes: workers).withDuration(loaded, seconds: duration)
            }
            let processes = workers ?? loaded.workers
            baselineReport = try baseline.map {
                try LoadReport.read(path: $0, remedy: "pass --baseline the .json report a previous run wrote")
            }
            let choice = TargetChoice(targets: targets, host: host, port: port, publishTarget: publishTarget)
            var target = try choice.target(for: loaded, appID: appID, key: key, secret: secret, serverPID: serverPID)
            target.offersDeflate = permessageDeflate
            if tls || caFile != nil || target.asksForTLS { try target.useTLS(caFile: caFile) }
            if let workerIndex {
                // A worker reports to its parent (standard output is their channel), never to the user.
                let worker = LoadWorker(scenario: loaded, target: target, index: workerIndex, count: processes ?? 1)
                guard await worker.run() else { throw WorkerExit() }
                return
            }
            let runner = LoadRunner(
                scenario: loaded,
                target: target,
                showProgress: output.showsProgress,
                printsPoints: !output.quiet,
                workers: try processes.map {
                    try WorkerLaunch(count: $0, arguments: Array(CommandLine.arguments.dropFirst()))
                }
            )
            report = try await runner.run()
        } catch is WorkerExit {
            throw ExitCode(2)
        } catch {
            throw Self.cannotRun(error)
        }
        if !noWrite {
            do {
                let compared = baselineReport.map {
                    HTMLSummary.Baseline(label: baseline ?? "", report: $0, tolerance: tolerance)
                }
                output.say("wrote \(try ResultsDirectory(root: out).write(report, baseline: compared))")
            } catch {
                throw Self.cannotRun(
                    FileProblem(
                        out,
                        "cannot be written",
                        error: error,
                        remedy: "pass --out DIR naming a writable directory, or --no-write"
                    )
                )
            }
        }
        try output.finish(report)
        var failed = !report.passed
        if let baselineReport {
            let comparison = BaselineComparison(current: report, baseline: baselineReport, tolerance: tolerance)
            output.result(
                "baseline \(baseline ?? "") (tolerance \(tolerance)):\n\(comparison.description)",
                problems: comparison.regressions.map { "regression against \(baseline ?? ""): \($0.name)" }
            )
            failed = failed || !comparison.passed
        }
        if failed { throw ExitCode(1) }
    }

    /// A worker that failed: it told its parent why, so it exits 2 without a word.
    private struct WorkerExit: Error {}

    /// Prints why the run cannot go on and exits 2.
    static func cannotRun(_ error: any Error) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        return ExitCode(2)
    }
}
