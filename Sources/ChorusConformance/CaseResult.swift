/// How one case went.
public struct CaseResult: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case passed, failed, skipped
    }

    public var name: String
    public var tags: [String]
    public var source: String
    public var outcome: Outcome
    /// The first mismatch of a failure, or the reason for a skip.
    public var detail: String?
    public var durationSeconds: Double
}
