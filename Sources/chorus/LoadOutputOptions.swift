import ArgumentParser
import ChorusLoad

/// `chorus load`'s output switches, `--quiet` and `--json`.
struct LoadOutputOptions: ParsableArguments {
    @Flag(help: "No progress line, time series lines or summary; why the run failed still goes to standard error.")
    var quiet = false
    @Flag(help: "Print the run's JSON report on standard output, nothing else (the summary goes to standard error).")
    var json = false

    var output: LoadOutput { LoadOutput(quiet: quiet, json: json) }
}
