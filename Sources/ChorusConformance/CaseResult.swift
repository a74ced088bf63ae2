/// How one case went.
public struct CaseResult: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case passed, failed, skipped
    }

    public var name: String
    public var tags: [String]
    public var source: String
    public var level: CaseLevel
    /// The capabilities the case needs (empty: every Pusher server must pass it).
    public var requires: [String]
    /// The rule the case checks, as the rules catalogue states it.
    public var rule: ConformanceRule?
    public var outcome: Outcome
    /// The first mismatch of a failure, or the reason for a skip.
    public var detail: String?
    public var durationSeconds: Double

    public init(
        name: String,
        tags: [String],
        source: String,
        level: CaseLevel = .must,
        requires: [String] = [],
        rule: ConformanceRule? = nil,
        outcome: Outcome,
        detail: String? = nil,
        durationSeconds: Double = 0
    ) {
        self.name = name
        self.tags = tags
        self.source = source
        self.level = level
        self.requires = requires
        self.rule = rule
        self.outcome = outcome
        self.detail = detail
        self.durationSeconds = durationSeconds
    }

    /// A failure of a must case: the server breaks a client or loses a guarantee.
    public var isMustFailure: Bool { outcome == .failed && level == .must }
    /// A failure of a should case: a warning (an error with `--strict`).
    public var isWarning: Bool { outcome == .failed && level == .should }
    /// A failure of an info case: a note.
    public var isNote: Bool { outcome == .failed && level == .info }

    /// One line naming the rule broken: `id: text (source)`, or the case's source without a rule.
    public var ruleLine: String {
        guard let rule else { return "source: \(source)" }
        return "rule \(rule.id): \(rule.text) (\(rule.source))"
    }
}
