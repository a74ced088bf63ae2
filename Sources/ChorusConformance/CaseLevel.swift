/// How much a case's failure matters.
public enum CaseLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// A client breaks or a guarantee is lost: a failure fails the run.
    case must
    /// The canonical Pusher form, which the official clients also tolerate a variant of: a failure is
    /// a warning (and fails the run with `--strict`).
    case should
    /// Welcome but optional: a failure is a note and never fails the run.
    case info

    public static func < (lhs: CaseLevel, rhs: CaseLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One rule of the documents the suite checks, as the rules catalogue (`rules.yaml`) states it.
public struct ConformanceRule: Sendable, Hashable, Codable {
    /// A stable identifier such as `presence.member_removed.shape`.
    public var id: String
    /// The rule in one sentence.
    public var text: String
    /// The document (and section) it comes from.
    public var source: String

    public init(id: String, text: String, source: String) {
        self.id = id
        self.text = text
        self.source = source
    }
}
