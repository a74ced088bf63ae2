import ChorusProtocol
public import Foundation
import Yams

/// The conformance cases of a directory: every `*.yaml`, `*.yml` and `*.json` file holding
/// `{source?, cases: [...]}` (files without `cases`, like vector files, are data for steps).
public struct CaseLibrary: Sendable {
    public let directory: URL
    public let cases: [ConformanceCase]

    public init(directory: URL) throws {
        self.directory = directory
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { ["yaml", "yml", "json"].contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var cases: [ConformanceCase] = []
        var names: Set<String> = []
        for file in files {
            let document = try Self.document(at: file)
            guard let list = document["cases"]?.arrayValue else { continue }
            for value in list {
                do throws(CaseFileError) {
                    let parsed = try ConformanceCase(parsing: value, fileSource: document["source"]?.stringValue)
                    guard names.insert(parsed.name).inserted else {
                        throw CaseFileError("duplicate case name '\(parsed.name)'")
                    }
                    cases.append(parsed)
                } catch {
                    throw CaseFileError("\(file.lastPathComponent): \(error.message)")
                }
            }
        }
        self.cases = cases
    }

    /// The cases carrying `tag` (any tag if `nil`) and named `name` (any if `nil`).
    public func selecting(tags: [String] = [], names: [String] = []) -> [ConformanceCase] {
        cases.filter { testCase in
            (tags.isEmpty || !Set(tags).isDisjoint(with: testCase.tags))
                && (names.isEmpty || names.contains(testCase.name))
        }
    }

    private static func document(at file: URL) throws -> JSONValue {
        let text = try String(contentsOf: file, encoding: .utf8)
        if file.pathExtension == "json" { return try JSONValue(parsing: text) }
        do {
            return try YAMLDecoder().decode(JSONValue.self, from: text)
        } catch {
            throw CaseFileError("\(file.lastPathComponent): not valid YAML: \(error)")
        }
    }
}
