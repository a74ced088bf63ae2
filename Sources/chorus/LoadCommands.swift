import ArgumentParser

/// `chorus load`: runs a scenario (`chorus load SCENARIO`, the default subcommand `run`), compares
/// two run reports (`chorus load compare A B`) or rebuilds a results directory's pages and index
/// (`chorus load index [DIR]`).
struct LoadCommands: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract:
            "Run a load scenario against a Pusher-compatible server, compare two runs, or index a results directory (see docs/load.md).",
        subcommands: [LoadCommand.self, LoadCompareCommand.self, LoadIndexCommand.self],
        defaultSubcommand: LoadCommand.self
    )
}
