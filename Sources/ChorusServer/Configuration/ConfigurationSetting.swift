/// One setting of a configuration section: its key in the file, the property it sets and the rule
/// its value follows.
///
/// A section lists its settings once, in its ``ConfigurationSection/settings`` table; decoding,
/// encoding, unknown-key rejection and validation all read that table. A setting's default is the
/// property's initial value: decoding starts from a default section and sets only the keys present.
package struct ConfigurationSetting<Section> {
    package let key: String
    fileprivate let read: (KeyedDecodingContainer<ConfigurationKey>, inout Section) throws -> Void
    fileprivate let write: (Section, inout KeyedEncodingContainer<ConfigurationKey>) throws -> Void
    /// Problems with the value in `Section`, each starting with the key.
    fileprivate let check: (Section) -> [String]

    /// A setting of any `Codable` type, with an optional check whose problems follow the key.
    static func value<Value: Codable>(
        _ key: String,
        _ path: WritableKeyPath<Section, Value>,
        check: @escaping (Value) -> [String] = { _ in [] }
    ) -> Self {
        let codingKey = ConfigurationKey(key)
        return Self(
            key: key,
            read: { container, section in
                if let value = try container.decodeIfPresent(Value.self, forKey: codingKey) {
                    section[keyPath: path] = value
                }
            },
            write: { section, container in try container.encode(section[keyPath: path], forKey: codingKey) },
            check: { section in check(section[keyPath: path]).map { "\(key) \($0)" } }
        )
    }

    /// A whole number that must follow `rule`.
    static func int(_ key: String, _ path: WritableKeyPath<Section, Int>, _ rule: IntegerRule) -> Self {
        value(key, path) { value in rule.problem(with: value).map { [$0] } ?? [] }
    }

    /// A nested section (`webhook_delivery: {...}`); its problems are named `key.setting`.
    static func section<Nested: ConfigurationSection>(_ key: String, _ path: WritableKeyPath<Section, Nested>) -> Self {
        let setting = value(key, path)
        return Self(
            key: key,
            read: setting.read,
            write: setting.write,
            check: { section in section[keyPath: path].settingProblems.map { "\(key).\($0)" } }
        )
    }
}

/// The range a whole-number setting must lie in, and how a problem with it reads.
enum IntegerRule {
    case atLeast(Int)
    /// 0 (meaning no limit) or more.
    case zeroMeansUnlimited
    case within(ClosedRange<Int>)

    /// Why `value` breaks the rule, or `nil` when it does not.
    func problem(with value: Int) -> String? {
        switch self {
        case .atLeast(let minimum): value >= minimum ? nil : "must be at least \(minimum), got \(value)"
        case .zeroMeansUnlimited: value >= 0 ? nil : "must be 0 (unlimited) or positive, got \(value)"
        case .within(let range):
            range.contains(value) ? nil : "must be between \(range.lowerBound) and \(range.upperBound), got \(value)"
        }
    }
}

/// A configuration section read and written through its table of settings.
protocol ConfigurationSection: Codable {
    static var settings: [ConfigurationSetting<Self>] { get }
}

extension ConfigurationSection {
    /// Sets every setting `decoder` holds; rejects keys that are neither settings nor `otherKeys`.
    mutating func decodeSettings(from decoder: any Decoder, otherKeys: [String] = []) throws {
        let settings = Self.settings
        let container = try decoder.container(keyedBy: ConfigurationKey.self)
        let known = otherKeys + settings.map(\.key)
        let unknown = container.allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription:
                        "unknown setting(s) \(unknown.joined(separator: ", ")); known: \(known.joined(separator: ", "))"
                )
            )
        }
        for setting in settings { try setting.read(container, &self) }
    }

    /// Writes every setting of the table into `encoder`'s keyed container.
    func encodeSettings(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ConfigurationKey.self)
        for setting in Self.settings { try setting.write(self, &container) }
    }

    /// Every broken rule of the table's settings, each starting with the setting's key.
    var settingProblems: [String] {
        Self.settings.flatMap { $0.check(self) }
    }
}

/// A key of a configuration file, known only at run time.
struct ConfigurationKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ stringValue: String) { self.stringValue = stringValue }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
