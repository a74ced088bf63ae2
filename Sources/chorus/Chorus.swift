import ArgumentParser

/// The `chorus` command: the server, its app store, the load generator and the conformance runner.
@main
struct Chorus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A Pusher-protocol realtime server, its load generator and its conformance suite.",
        subcommands: [ServeCommand.self, AppsCommand.self, LoadCommands.self, ConformCommand.self]
    )
}
