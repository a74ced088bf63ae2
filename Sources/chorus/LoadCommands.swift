import ArgumentParser

/// `chorus load`: runs a scenario (`chorus load SCENARIO`, the default subcommand `run`) or compares
/// two run reports (`chorus load compare A B`).
struct LoadCommands: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Run a load scenario against a Pusher-compatible server, or compare two runs (see docs/load.md).",
        subcommands: [LoadCommand.self, LoadCompareCommand.self],
        defaultSubcommand: LoadCommand.self
    )
}
