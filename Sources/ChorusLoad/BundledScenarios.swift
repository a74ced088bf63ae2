public import Foundation

/// The named scenarios that ship inside the load generator (this target's `Scenarios/`, a SwiftPM
/// resource), so `chorus load smoke` works from any directory.
public enum BundledScenarios {
    /// The directory holding the bundled scenario files.
    public static var directory: URL {
        Bundle.module.url(forResource: "Scenarios", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Scenarios", isDirectory: true)
    }

    /// The bundled scenario names (file names without `.yaml`), sorted.
    public static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(".yaml".count)) }.sorted()
    }

    /// The scenario file `argument` names: the file at that path when there is one, else the
    /// bundled scenario of that name.
    public static func file(for argument: String) throws(ScenarioError) -> String {
        if FileManager.default.fileExists(atPath: argument) { return argument }
        if names.contains(argument) { return directory.appendingPathComponent("\(argument).yaml").path }
        throw ScenarioError(
            source: argument,
            field: nil,
            reason: "cannot be read: no such file and no bundled scenario of that name; \(hint)"
        )
    }

    /// What a user can give instead of a name that is not there.
    static var hint: String {
        "give the path of a YAML or JSON scenario file, or one of: \(names.joined(separator: ", "))"
    }
}
