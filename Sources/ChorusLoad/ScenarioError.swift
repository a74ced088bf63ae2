/// Why a scenario file cannot be run; every case names the file and, where there is one, the field.
public struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or `<inline>`) the scenario came from.
    public var source: String
    /// The dotted path of the offending field, `nil` for a whole-file problem.
    public var field: String?
    public var reason: String

    public init(source: String, field: String?, reason: String) {
        self.source = source
        self.field = field
        self.reason = reason
    }

    public var description: String {
        if let field {
            "scenario \(source): field '\(field)': \(reason)"
        } else {
            "scenario \(source): \(reason)"
        }
    }
}
