import Yams

/// Typed, once-only access to the fields of one YAML mapping, remembering which were read so the
/// rest can be reported as unknown.
struct ScenarioFields {
    private var values: [String: Node]
    /// The keys in file order.
    private let keys: [String]
    private var read: Set<String> = []
    private let path: String
    private let source: String

    init(_ mapping: Node.Mapping, path: String, source: String) throws(ScenarioError) {
        self.path = path
        self.source = source
        var values: [String: Node] = [:]
        var keys: [String] = []
        for (key, value) in mapping {
            guard let name = key.string else {
                throw ScenarioError(source: source, field: path.isEmpty ? nil : path, reason: "has a non-text key")
            }
            values[name] = value
            keys.append(name)
        }
        self.values = values
        self.keys = keys
    }

    func error(_ name: String, _ reason: String) -> ScenarioError {
        ScenarioError(source: source, field: qualified(name), reason: reason)
    }

    private func qualified(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    private mutating func scalar(_ name: String) throws(ScenarioError) -> Node.Scalar? {
        read.insert(name)
        guard let node = values[name] else { return nil }
        guard let scalar = node.scalar else { throw error(name, "must be a single value") }
        return node.null == nil ? scalar : nil
    }

    mutating func string(_ name: String) throws(ScenarioError) -> String? {
        try scalar(name)?.string
    }

    mutating func requiredString(_ name: String) throws(ScenarioError) -> String {
        guard let value = try string(name) else { throw error(name, "is required") }
        return value
    }

    mutating func int(_ name: String) throws(ScenarioError) -> Int? {
        guard let scalar = try scalar(name) else { return nil }
        guard let value = Int.construct(from: scalar) else {
            throw error(name, "must be an integer, got '\(scalar.string)'")
        }
        return value
    }

    mutating func requiredInt(_ name: String) throws(ScenarioError) -> Int {
        guard let value = try int(name) else { throw error(name, "is required") }
        return value
    }

    mutating func double(_ name: String) throws(ScenarioError) -> Double? {
        guard let scalar = try scalar(name) else { return nil }
        guard let value = Double.construct(from: scalar) else {
            throw error(name, "must be a number, got '\(scalar.string)'")
        }
        return value
    }

    mutating func bool(_ name: String) throws(ScenarioError) -> Bool? {
        guard let scalar = try scalar(name) else { return nil }
        guard let value = Bool.construct(from: scalar) else {
            throw error(name, "must be true or false, got '\(scalar.string)'")
        }
        return value
    }

    /// `name` as one integer or a list of them, `nil` when absent.
    mutating func intList(_ name: String) throws(ScenarioError) -> [Int]? {
        read.insert(name)
        guard let node = values[name], node.null == nil else { return nil }
        guard let items = node.sequence else { return try int(name).map { [$0] } }
        var values: [Int] = []
        for item in items {
            guard let scalar = item.scalar, let value = Int.construct(from: scalar) else {
                throw error(name, "must be an integer or a list of integers")
            }
            values.append(value)
        }
        guard !values.isEmpty else { throw error(name, "must not be an empty list") }
        return values
    }

    /// `name` as one text or a non-empty list of them, `nil` when absent.
    mutating func stringList(_ name: String) throws(ScenarioError) -> [String]? {
        read.insert(name)
        guard let node = values[name], node.null == nil else { return nil }
        guard let items = node.sequence else { return try string(name).map { [$0] } }
        var texts: [String] = []
        for item in items {
            guard let scalar = item.scalar else { throw error(name, "must be a text or a list of texts") }
            texts.append(scalar.string)
        }
        guard !texts.isEmpty else { throw error(name, "must not be an empty list") }
        return texts
    }

    /// The list of mappings `name`, each with its indexed path (`name[0]`), `nil` when absent.
    mutating func sections(_ name: String) throws(ScenarioError) -> [ScenarioFields]? {
        read.insert(name)
        guard let node = values[name], node.null == nil else { return nil }
        guard let items = node.sequence, !items.isEmpty else { throw error(name, "must be a non-empty list") }
        var sections: [ScenarioFields] = []
        for (index, item) in items.enumerated() {
            let path = "\(qualified(name))[\(index)]"
            guard let mapping = item.mapping else {
                throw ScenarioError(source: source, field: path, reason: "must be a mapping of fields")
            }
            sections.append(try ScenarioFields(mapping, path: path, source: source))
        }
        return sections
    }

    /// The nested mapping `name` of single values, as (key, text) pairs in file order; `nil` when absent.
    mutating func scalars(_ name: String) throws(ScenarioError) -> [(key: String, text: String)]? {
        guard var section = try section(name) else { return nil }
        return try section.keys.map { (key) throws(ScenarioError) in
            guard let text = try section.string(key) else { throw section.error(key, "must be a number or a text") }
            return (key, text)
        }
    }

    /// The nested mapping `name`, `nil` when absent.
    mutating func section(_ name: String) throws(ScenarioError) -> ScenarioFields? {
        read.insert(name)
        guard let node = values[name], node.null == nil else { return nil }
        guard let mapping = node.mapping else { throw error(name, "must be a mapping of fields") }
        return try ScenarioFields(mapping, path: qualified(name), source: source)
    }

    /// Throws for the first (alphabetically) field that was never read.
    func rejectUnknown() throws(ScenarioError) {
        if let unknown = values.keys.filter({ !read.contains($0) }).sorted().first {
            throw error(unknown, "is not a known field (see docs/load.md)")
        }
    }
}
