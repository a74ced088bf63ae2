import ArgumentParser
import ChorusConformance
import ChorusLoad
import Foundation
import NIOPosix

/// `chorus conform`: replays the conformance cases against a running Pusher-compatible server.
struct ConformCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conform",
        abstract: "Check that a server speaks the Pusher protocol, case by case.",
        discussion: """
            Exits non-zero when a must-level case fails (or, with --strict, a should-level one); should-level \
            failures are warnings. Cases needing a capability the target lacks are skipped with the reason.
            """
    )

    @Option(help: "Server host (HTTP API, and WebSockets unless --ws-target).") var host = "127.0.0.1"
    @Option(help: "Server port.") var port = 6001
    @Option(
        name: .customLong("ws-target"),
        help: ArgumentHelp(
            "Open the WebSockets on this server (host:port or ws://host:port), e.g. another node of the same cluster; HTTP reads are then retried for up to 5 s.",
            valueName: "address"
        )
    )
    var webSocketTarget: String?
    @Option(name: .customLong("app-id"), help: "Main app id.") var appID = "1"
    @Option(help: "Main app key.") var key = "chorus-key"
    @Option(help: "Main app secret.") var secret = "chorus-secret"
    @Option(name: .customLong("second-app"), help: "Another enabled app, as id:key:secret.") var secondApp: String?
    @Option(name: .customLong("disabled-app"), help: "A disabled app, as id:key:secret.") var disabledApp: String?
    @Option(name: .customLong("rate-limited-app"), help: "An app with an API rate limit, as id:key:secret.")
    var rateLimitedApp: String?
    @Option(name: .customLong("api-rate-limit"), help: "Requests per window the rate-limited app allows.")
    var apiRateLimit: Int?
    @Option(name: .customLong("no-client-events-app"), help: "An app with client events disabled, as id:key:secret.")
    var noClientEventsApp: String?
    @Option(
        name: .customLong("subscription-count-app"),
        help: "An app with subscription counts enabled, as id:key:secret."
    )
    var subscriptionCountApp: String?
    @Option(
        name: .customLong("origins-app"),
        help: "An app whose allowed_origins are https://*.allowed.test, as id:key:secret."
    )
    var originsApp: String?
    @Option(name: .customLong("max-payload-kb"), help: "The main app's max_event_payload_in_kb.") var maxPayloadKB = 100
    @Option(name: .customLong("max-channels"), help: "The main app's max_event_channels_at_once.") var maxChannels = 100
    @Option(name: .customLong("max-batch"), help: "The main app's max_event_batch_size.") var maxBatch = 10
    @Option(name: .customLong("max-client-events"), help: "Client events per second per connection.")
    var maxClientEvents = 10
    @Option(name: .customLong("tag"), help: "Run only cases with this tag (repeatable).") var tags: [String] = []
    @Option(name: .customLong("case"), help: "Run only the case with this name (repeatable).") var names: [String] = []
    @Option(help: "Directory of case files (default: the cases bundled with chorus).") var cases: String?
    @Option(help: "Directory the JUnit XML, JSON and HTML reports are written to.") var output = "results/conformance"
    @Option(help: "The server family, for its optional features: pusher, sockudo or chorus.")
    var profile: String = "chorus"
    @Option(
        help: "Capabilities to add to the profile's, comma-separated (-name removes one), e.g. delta,-cache_channels."
    )
    var capabilities: String?
    @Flag(help: "Should-level failures fail the run too.") var strict = false
    @Flag(help: "Probe the capabilities that can be told from outside; probe results override the profile's.")
    var probe = false
    @Flag(help: "Print the coverage table (every rule and the cases that check it) as Markdown and exit.")
    var coverage = false

    func run() async throws {
        let library = try CaseLibrary(directory: cases.map { URL(fileURLWithPath: $0) } ?? CaseLibrary.bundledDirectory)
        if coverage {
            print(CoverageTable(library: library).markdown)
            return
        }
        guard let family = ServerProfile(rawValue: profile) else {
            throw ValidationError(
                "--profile must be one of \(ServerProfile.allCases.map(\.rawValue).joined(separator: ", ")), got \(profile)"
            )
        }
        var features = family.capabilities
        if let capabilities {
            do {
                features = try ServerProfile.apply(capabilities, to: features)
            } catch {
                throw ValidationError("--capabilities: \(error.message)")
            }
        }
        let webSocketAddress: ServerAddress?
        do {
            webSocketAddress = try webSocketTarget.map { text throws(ServerAddressError) in
                try ServerAddress(parsing: text)
            }
        } catch {
            throw ValidationError("--ws-target: \(error)")
        }
        let target = ConformanceTarget(
            host: host,
            port: port,
            app: .init(id: appID, key: key, secret: secret),
            secondApp: try secondApp.map { try Self.app($0, option: "--second-app") },
            disabledApp: try disabledApp.map { try Self.app($0, option: "--disabled-app") },
            rateLimitedApp: try rateLimitedApp.map { try Self.app($0, option: "--rate-limited-app") },
            apiRateLimit: apiRateLimit,
            maxEventPayloadKB: maxPayloadKB,
            maxEventChannels: maxChannels,
            maxEventBatchSize: maxBatch,
            maxClientEventsPerSecond: maxClientEvents,
            features: features,
            noClientEventsApp: try noClientEventsApp.map { try Self.app($0, option: "--no-client-events-app") },
            subscriptionCountApp: try subscriptionCountApp.map { try Self.app($0, option: "--subscription-count-app") },
            webSocketHost: webSocketAddress?.host,
            webSocketPort: webSocketAddress?.port,
            originsApp: try originsApp.map { try Self.app($0, option: "--origins-app") }
        )
        let selected = library.selecting(tags: tags, names: names)
        guard !selected.isEmpty else { throw ValidationError("No case matches the given --tag/--case.") }
        var runner = ConformanceRunner(target: target, library: library, group: MultiThreadedEventLoopGroup.singleton)
        if probe {
            var probed = target
            for (capability, present) in await runner.probeCapabilities().sorted(by: { $0.key < $1.key }) {
                print("probe \(capability): \(present ? "present" : "absent")")
                if present { probed.features.insert(capability) } else { probed.features.remove(capability) }
            }
            runner = ConformanceRunner(target: probed, library: library, group: MultiThreadedEventLoopGroup.singleton)
        }
        let results = await runner.run(selected) { result in
            print("\(result.outcome.rawValue.uppercased()) [\(result.level.rawValue)] \(result.name)")
        }
        let report = ConformanceReport(
            target: Self.describe(target, profile: profile),
            results: results,
            strict: strict
        )
        print(report.table)
        do {
            try report.write(to: URL(fileURLWithPath: output))
        } catch {
            throw FileProblem(
                output,
                "cannot be written",
                error: error,
                remedy: "pass --output DIR naming a writable directory"
            )
        }
        print("Reports written to \(output)/conformance.xml, \(output)/conformance.json and \(output)/conformance.html")
        if report.failsRun { throw ExitCode.failure }
    }

    /// `host:port`, or which server took the HTTP requests and which the WebSockets, and the profile.
    private static func describe(_ target: ConformanceTarget, profile: String) -> String {
        let http = ServerAddress(host: target.host, port: target.port)
        guard target.splitsWebSocketsFromHTTP else { return "\(http) (profile \(profile))" }
        let webSockets = ServerAddress(host: target.webSocketHost, port: target.webSocketPort)
        return "HTTP \(http), WebSockets \(webSockets) (profile \(profile))"
    }

    private static func app(_ triple: String, option: String) throws -> ConformanceTarget.App {
        guard let app = ConformanceTarget.App(triple: triple) else {
            throw ValidationError("\(option) must be id:key:secret, got \(triple)")
        }
        return app
    }
}
