/// An annotation type, `namespace:summarizer.v1`: what the annotation means (the namespace) and
/// how its annotations add up (the summarizer).
public struct AnnotationType: Sendable, Hashable {
    /// How a type's annotations are summarized.
    public enum Summarizer: String, Sendable, Hashable, CaseIterable {
        /// `{"total"}`: every annotation counts once.
        case total
        /// `{"total","clientIds","clipped"}`: each client once.
        case flag
        /// Per name, each client once.
        case distinct
        /// Per name, each client once and in one name only (its latest).
        case unique
        /// Per name, counts summed per client and for unidentified annotations.
        case multiple

        /// Whether annotations of this summarizer must name a `name`.
        public var needsName: Bool { self == .distinct || self == .unique || self == .multiple }
        /// Whether annotations of this summarizer must name a `client_id`.
        public var needsClientID: Bool { self == .flag || self == .distinct || self == .unique }
    }

    public static let maximumBytes = 256

    public var text: String
    public var namespace: Substring
    public var summarizer: Summarizer

    /// Parses `text`: at most 256 bytes, a non-empty namespace, `:`, a summarizer and `.v1`.
    public init?(_ text: String) {
        guard text.utf8.count <= Self.maximumBytes, let colon = text.lastIndex(of: ":") else { return nil }
        let namespace = text[..<colon]
        let rest = text[text.index(after: colon)...]
        guard !namespace.isEmpty, rest.hasSuffix(".v1"),
            let summarizer = Summarizer(rawValue: String(rest.dropLast(3)))
        else { return nil }
        self.text = text
        self.namespace = namespace
        self.summarizer = summarizer
    }
}
