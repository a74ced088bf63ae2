import ArgumentParser
import ChorusServer
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `chorus serve`: runs the server on the embedded default or on a config file.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Pusher-protocol server (WebSocket + HTTP API on one port).",
        discussion: """
            With no --config, serves one default app (id 1, key chorus-key, secret chorus-secret) \
            on 127.0.0.1:6001, keeping history for every channel in chorus-data/chorus.sqlite under \
            the working directory. Environment overrides: \
            \(ConfigurationLoader.environmentKeys.joined(separator: ", ")).
            """
    )

    @Option(name: .long, help: "YAML or JSON configuration file (see docs/configuration.md).")
    var config: String?

    @Option(name: .long, help: "Address to listen on (overrides the config).")
    var host: String?

    @Option(name: .long, help: "Port to listen on; 0 picks a free one (overrides the config).")
    var port: Int?

    @Option(name: .long, help: "Port of the /metrics listener; 0 picks a free one (overrides the config).")
    var metricsPort: Int?

    @Option(
        name: .long,
        help:
            "Token of the debug console at /console on the metrics listener (overrides the config; see docs/console.md)."
    )
    var consoleToken: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        var configuration: ServerConfiguration
        do {
            configuration = try ConfigurationLoader.load(path: config)
        } catch {
            throw ValidationError(error.description)
        }
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if let metricsPort { configuration.metricsPort = metricsPort }
        if let consoleToken { configuration.consoleToken = consoleToken }
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("unknown log level '\(logLevel)'")
        }
        var logger = Logger(label: "chorus")
        logger.logLevel = level
        let server = try await ChorusServer.start(configuration: configuration, logger: logger)
        // SIGHUP re-reads the TLS certificate and key (without `tls` it is logged and ignored);
        // trapped before the banner, so a SIGHUP sent once the banner is out never kills the server.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let secure = configuration.tls == nil ? "" : "s"
        var banner =
            "chorus serving on ws\(secure)://\(configuration.host):\(server.port)/app/{key} and http\(secure)://\(configuration.host):\(server.port)\n"
        if let tls = configuration.tls {
            banner += "  tls: \(tls.certFile) (reloaded on SIGHUP); plain-text requests refused\n"
        }
        for app in configuration.apps {
            banner += "  app id=\(app.id) key=\(app.key) secret=\(app.secret)\(app.enabled ? "" : " (disabled)")\n"
        }
        let storage = configuration.storage.resolved(in: FileManager.default.currentDirectoryPath)
        banner += "  history storage: \(storage.summary)\n  push storage: \(storage.pushSummary)\n"
        banner += "  adapter: \(configuration.adapter.summary)\n"
        if configuration.appStore.isEnabled { banner += "  app store: \(configuration.appStore.summary)\n" }
        for line in configuration.limitsSummary(fromFile: config != nil) { banner += "  \(line)\n" }
        banner += "  metrics: http://\(configuration.metricsHost):\(server.metricsPort)/metrics\n"
        if configuration.consoleToken != nil {
            banner += "  console: http://\(configuration.metricsHost):\(server.metricsPort)/console\n"
        }
        // Written unbuffered, so a supervisor or test reading the pipe sees it at once.
        FileHandle.standardOutput.write(Data(banner.utf8))
        let group = ServiceGroup(
            configuration: .init(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        let reloads = Task {
            for await _ in hangups { server.reloadTLS() }
        }
        defer { reloads.cancel() }
        try await group.run()
    }
}
