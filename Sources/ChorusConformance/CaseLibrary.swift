import ChorusProtocol
public import Foundation
import Yams

/// The conformance cases of a directory: every `*.yaml`, `*.yml` and `*.json` file holding
/// `{source?, cases: [...]}` (files without `cases`, like vector files, are data for steps).
public struct CaseLibrary: Sendable {
    public let directory: URL
    public let cases: [ConformanceCase]
    /// The rules catalogue: every `rules` list of the directory's files, by id.
    public let rules: [String: ConformanceRule]
    /// The rule ids in the order the catalogue lists them.
    public let ruleOrder: [String]
    /// Capability probes (`probes: [{capability, steps}]`): steps that complete where the server
    /// offers the capability.
    public let probes: [(capability: String, steps: [ConformanceStep])]

    /// The cases that ship inside the runner (this target's `Cases/`, a SwiftPM resource), so
    /// `chorus conform` works from any directory.
    public static var bundledDirectory: URL {
        Bundle.module.url(forResource: "Cases", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Cases", isDirectory: true)
    }

    /// Reads every case file in `directory`; a missing directory, an unreadable or invalid file, or
    /// a directory without cases is a ``CaseFileError`` naming the path.
    public init(directory: URL) throws(CaseFileError) {
        self.directory = directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw CaseFileError("\(directory.path): no such directory; give a directory of case files (*.yaml, *.json)")
        }
        let listed: [URL]
        do {
            listed = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        } catch {
            throw CaseFileError("\(directory.path): cannot be listed (\(error.localizedDescription))")
        }
        let files = listed.filter { ["yaml", "yml", "json"].contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var cases: [ConformanceCase] = []
        var names: Set<String> = []
        var rules: [String: ConformanceRule] = [:]
        var ruleOrder: [String] = []
        var documents: [(URL, JSONValue)] = []
        var probes: [(capability: String, steps: [ConformanceStep])] = []
        for file in files {
            let document = try Self.document(at: file)
            documents.append((file, document))
            for probe in document["probes"]?.arrayValue ?? [] {
                guard let capability = probe["capability"]?.stringValue, let list = probe["steps"]?.arrayValue else {
                    throw CaseFileError("\(file.lastPathComponent): each probe needs capability and steps")
                }
                var steps: [ConformanceStep] = []
                for step in list {
                    do {
                        steps.append(try ConformanceStep(parsing: step))
                    } catch {
                        throw CaseFileError("\(file.lastPathComponent): probe '\(capability)': \(error.message)")
                    }
                }
                probes.append((capability, steps))
            }
            for rule in try Self.rules(in: document, file: file) {
                guard rules.updateValue(rule, forKey: rule.id) == nil else {
                    throw CaseFileError("\(file.lastPathComponent): duplicate rule id '\(rule.id)'")
                }
                ruleOrder.append(rule.id)
            }
        }
        for (file, document) in documents {
            guard let list = document["cases"]?.arrayValue else { continue }
            let fileLevel = try document["level"]?.stringValue.map { text throws(CaseFileError) in
                guard let level = CaseLevel(rawValue: text) else {
                    throw CaseFileError("\(file.lastPathComponent): level must be must, should or info")
                }
                return level
            }
            for value in list {
                do throws(CaseFileError) {
                    let parsed = try ConformanceCase(
                        parsing: value,
                        fileSource: document["source"]?.stringValue,
                        fileLevel: fileLevel
                    )
                    for rule in [parsed.rule].compactMap(\.self) + parsed.alsoRules where !rules.isEmpty {
                        guard rules[rule] != nil else {
                            throw CaseFileError("case '\(parsed.name)': rule '\(rule)' is not in the rules catalogue")
                        }
                    }
                    guard names.insert(parsed.name).inserted else {
                        throw CaseFileError("duplicate case name '\(parsed.name)'")
                    }
                    cases.append(parsed)
                } catch {
                    throw CaseFileError("\(file.lastPathComponent): \(error.message)")
                }
            }
        }
        guard !cases.isEmpty else {
            throw CaseFileError("\(directory.path): holds no case files (*.yaml or *.json with a `cases` list)")
        }
        self.cases = cases
        self.rules = rules
        self.ruleOrder = ruleOrder
        self.probes = probes
    }

    /// The catalogue entry of the rule `testCase` checks, if any.
    public func rule(of testCase: ConformanceCase) -> ConformanceRule? {
        testCase.rule.flatMap { rules[$0] }
    }

    /// Reads `rules: [{id, text, source}]`.
    private static func rules(in document: JSONValue, file: URL) throws(CaseFileError) -> [ConformanceRule] {
        guard let list = document["rules"] else { return [] }
        guard let items = list.arrayValue else {
            throw CaseFileError("\(file.lastPathComponent): rules must be a list")
        }
        var rules: [ConformanceRule] = []
        for item in items {
            guard let id = item["id"]?.stringValue, let text = item["text"]?.stringValue,
                let source = item["source"]?.stringValue
            else {
                throw CaseFileError("\(file.lastPathComponent): each rule needs id, text and source (\(item.jsonText))")
            }
            rules.append(ConformanceRule(id: id, text: text, source: source))
        }
        return rules
    }

    /// The cases carrying `tag` (any tag if `nil`) and named `name` (any if `nil`).
    public func selecting(tags: [String] = [], names: [String] = []) -> [ConformanceCase] {
        cases.filter { testCase in
            (tags.isEmpty || !Set(tags).isDisjoint(with: testCase.tags))
                && (names.isEmpty || names.contains(testCase.name))
        }
    }

    private static func document(at file: URL) throws(CaseFileError) -> JSONValue {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw CaseFileError("\(file.path): cannot be read (\(error.localizedDescription))")
        }
        do {
            if file.pathExtension == "json" { return try JSONValue(parsing: text) }
            return try YAMLDecoder().decode(JSONValue.self, from: text)
        } catch {
            throw CaseFileError("\(file.path): not valid \(file.pathExtension == "json" ? "JSON" : "YAML"): \(error)")
        }
    }
}
