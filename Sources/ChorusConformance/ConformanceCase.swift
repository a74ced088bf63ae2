import ChorusProtocol

/// One named conformance case: a sequence of steps that a conforming server lets complete.
public struct ConformanceCase: Sendable {
    public var name: String
    public var tags: [String]
    /// The document (and section) the expected behaviour comes from.
    public var source: String
    /// Capabilities of the target the case needs (see ``ConformanceTarget/capabilities``).
    public var requires: [String]
    /// How much a failure matters.
    public var level: CaseLevel
    /// The id of the rule (in the rules catalogue) the case checks, if it names one.
    public var rule: String?
    /// Other rules the case checks on the way (listed in the coverage table too).
    public var alsoRules: [String]
    public var steps: [ConformanceStep]

    public init(
        name: String,
        tags: [String],
        source: String,
        requires: [String] = [],
        level: CaseLevel = .must,
        rule: String? = nil,
        alsoRules: [String] = [],
        steps: [ConformanceStep]
    ) {
        self.alsoRules = alsoRules
        self.name = name
        self.tags = tags
        self.source = source
        self.requires = requires
        self.level = level
        self.rule = rule
        self.steps = steps
    }

    /// Reads `{name, tags, source, level?, rule?, also?, requires?, steps}`; `fileSource` and `fileLevel`
    /// are used when the case names none.
    init(parsing value: JSONValue, fileSource: String?, fileLevel: CaseLevel? = nil) throws(CaseFileError) {
        guard let name = value["name"]?.stringValue else { throw CaseFileError("a case has no name") }
        self.name = name
        self.tags = try Self.strings(value["tags"], field: "tags", caseName: name)
        guard !tags.isEmpty else { throw CaseFileError("case '\(name)': tags must not be empty") }
        guard let source = value["source"]?.stringValue ?? fileSource else {
            throw CaseFileError("case '\(name)': no source document cited")
        }
        self.source = source
        self.requires = try Self.strings(value["requires"], field: "requires", caseName: name)
        if let text = value["level"]?.stringValue {
            guard let level = CaseLevel(rawValue: text) else {
                throw CaseFileError("case '\(name)': level must be must, should or info, got '\(text)'")
            }
            self.level = level
        } else {
            self.level = fileLevel ?? .must
        }
        if let rule = value["rule"] {
            guard let id = rule.stringValue, !id.isEmpty else {
                throw CaseFileError("case '\(name)': rule must be a rule id (a string)")
            }
            self.rule = id
        } else {
            self.rule = nil
        }
        self.alsoRules = try Self.strings(value["also"], field: "also", caseName: name)
        guard let steps = value["steps"]?.arrayValue, !steps.isEmpty else {
            throw CaseFileError("case '\(name)': steps must be a non-empty list")
        }
        self.steps = []
        for (index, step) in steps.enumerated() {
            do {
                self.steps.append(try ConformanceStep(parsing: step))
            } catch {
                throw CaseFileError("case '\(name)', step \(index + 1): \(error.message)")
            }
        }
    }

    private static func strings(_ value: JSONValue?, field: String, caseName: String) throws(CaseFileError) -> [String]
    {
        guard let value else { return [] }
        guard let items = value.arrayValue?.compactMap(\.stringValue), items.count == value.arrayValue?.count else {
            throw CaseFileError("case '\(caseName)': \(field) must be a list of strings")
        }
        return items
    }
}

/// A case file that cannot be used, with the reason.
public struct CaseFileError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
