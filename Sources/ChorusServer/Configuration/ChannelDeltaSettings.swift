package import ChorusCore
public import ChorusProtocol

/// Delta compression settings for the channels matching one pattern of an app's
/// `channel_delta_compression` (Sockudo's setting and shapes): whether subscribers may take deltas
/// there, the algorithm of subscribers that name none, and the conflation key.
///
/// In a file either a word — `fossil`, `xdelta3`, `disabled` or `inherit` — or a mapping with
/// `enabled`, `algorithm`, `conflation_key` (a dotted path into event data) and
/// `max_conflation_keys` (1 to 10,000; default 1,000; the least recently used key is forgotten).
public struct ChannelDeltaSettings: Sendable, Hashable, Codable {
    public var enabled: Bool = true
    public var algorithm: DeltaAlgorithm?
    public var conflationKey: String?
    public var maxConflationKeys: Int = 1000

    /// The largest `max_conflation_keys` accepted.
    static let conflationKeysLimit = 10_000

    public init(
        enabled: Bool = true,
        algorithm: DeltaAlgorithm? = nil,
        conflationKey: String? = nil,
        maxConflationKeys: Int = 1000
    ) {
        self.enabled = enabled
        self.algorithm = algorithm
        self.conflationKey = conflationKey
        self.maxConflationKeys = maxConflationKeys
    }

    private enum Keys: String, CodingKey, CaseIterable {
        case enabled, algorithm
        case conflationKey = "conflation_key"
        case maxConflationKeys = "max_conflation_keys"
    }

    public init(from decoder: any Decoder) throws {
        if let word = try? decoder.singleValueContainer().decode(String.self) {
            switch word.lowercased() {
            case "disabled": self.init(enabled: false)
            case "inherit": self.init()
            default:
                guard let algorithm = DeltaAlgorithm(name: word) else {
                    throw DecodingError.dataCorrupted(
                        .init(
                            codingPath: decoder.codingPath,
                            debugDescription: "'\(word)' is not fossil, xdelta3, disabled or inherit"
                        )
                    )
                }
                self.init(algorithm: algorithm)
            }
            return
        }
        let c = try decoder.container(keyedBy: Keys.self)
        var algorithm: DeltaAlgorithm?
        if let name = try c.decodeIfPresent(String.self, forKey: .algorithm) {
            guard let named = DeltaAlgorithm(name: name) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .algorithm,
                    in: c,
                    debugDescription: "'\(name)' is not one of \(DeltaAlgorithm.names)"
                )
            }
            algorithm = named
        }
        self.init(
            enabled: try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? true,
            algorithm: algorithm,
            conflationKey: try c.decodeIfPresent(String.self, forKey: .conflationKey),
            maxConflationKeys: try c.decodeIfPresent(Int.self, forKey: .maxConflationKeys) ?? 1000
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(enabled, forKey: .enabled)
        try c.encodeIfPresent(algorithm?.rawValue, forKey: .algorithm)
        try c.encodeIfPresent(conflationKey, forKey: .conflationKey)
        try c.encode(maxConflationKeys, forKey: .maxConflationKeys)
    }

    /// The channel's conflation rule, when it has a conflation key.
    package var conflation: ConflationRule? {
        conflationKey.map { ConflationRule(path: $0, maximumKeys: maxConflationKeys) }
    }

    /// Problems with these settings, each naming the member.
    func problems() -> [String] {
        var problems: [String] = []
        if !(1...Self.conflationKeysLimit).contains(maxConflationKeys) {
            problems.append(
                "max_conflation_keys must be within 1...\(Self.conflationKeysLimit), got \(maxConflationKeys)"
            )
        }
        if let conflationKey,
            conflationKey.isEmpty
                || conflationKey.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty)
        {
            problems.append("conflation_key '\(conflationKey)' is not a dotted path like 'asset' or 'quote.symbol'")
        }
        return problems
    }
}

extension AppConfiguration {
    /// The delta settings of `channel`: an exact pattern first, then the longest matching
    /// `prefix*` or `*suffix` pattern, then `*`; `nil` when no pattern matches.
    package func deltaSettings(for channel: String) -> ChannelDeltaSettings? {
        if let exact = channelDeltaCompression[channel] { return exact }
        let matching = channelDeltaCompression.keys.filter { pattern in
            guard pattern.hasPrefix("*") || pattern.hasSuffix("*") else { return false }
            if pattern == "*" { return true }
            return pattern.hasSuffix("*")
                ? channel.hasPrefix(pattern.dropLast()) : channel.hasSuffix(pattern.dropFirst())
        }
        let best = matching.max { ($0.count, $1) < ($1.count, $0) }
        return best.flatMap { channelDeltaCompression[$0] }
    }

    /// Problems with `channel_delta_compression`, each naming the pattern.
    var channelDeltaProblems: [String] {
        channelDeltaCompression.sorted { $0.key < $1.key }.flatMap { pattern, settings in
            var problems = settings.problems()
            let stars = pattern.filter { $0 == "*" }.count
            if pattern.isEmpty || stars > 1 || (stars == 1 && !pattern.hasPrefix("*") && !pattern.hasSuffix("*")) {
                problems.append("is not a channel name, 'prefix*', '*suffix' or '*'")
            }
            return problems.map { "channel_delta_compression '\(pattern)': \($0)" }
        }
    }
}
