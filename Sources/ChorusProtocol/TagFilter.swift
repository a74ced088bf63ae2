/// A subscription's filter over the `tags` an event was published with: comparison leaves joined
/// by `and`, `or` and `not` nodes.
///
/// On the wire (subscribe data `filter`) a leaf is `{"key": K, "cmp": C, "val": V}` (`"vals": [...]`
/// for `in`/`nin`, neither for `ex`/`nex`) and a node is `{"op": "and"|"or"|"not", "nodes": [...]}`.
/// An event without tags is matched against an empty set of tags.
public indirect enum TagFilter: Sendable, Hashable {
    case compare(key: String, comparison: TagComparison, values: [String])
    case and([TagFilter])
    case or([TagFilter])
    case not(TagFilter)

    /// The deepest nesting accepted.
    public static let maximumDepth = 8
    /// The most leaves and nodes accepted in one filter.
    public static let maximumNodes = 64
    /// The most values an `in`/`nin` leaf may list.
    public static let maximumValues = 256

    /// Parses and validates a filter tree found at `path` of the subscribe data (`filter`,
    /// `tags_filter`, `filter.tags`); the error names the problem and where it is.
    public init(json: JSONValue, path: String = "filter") throws(TagFilterError) {
        var nodes = 0
        self = try Self.parse(json, path: path, root: path, depth: 1, nodes: &nodes)
    }

    private static func parse(
        _ json: JSONValue,
        path: String,
        root: String,
        depth: Int,
        nodes: inout Int
    ) throws(TagFilterError)
        -> TagFilter
    {
        guard depth <= maximumDepth else { throw TagFilterError("\(path): nested deeper than \(maximumDepth) levels") }
        nodes += 1
        guard nodes <= maximumNodes else { throw TagFilterError("\(root): more than \(maximumNodes) nodes") }
        guard let fields = json.objectValue else { throw TagFilterError("\(path): must be an object") }
        if let op = fields["op"] {
            guard let name = op.stringValue else { throw TagFilterError("\(path).op: must be a string") }
            guard let children = fields["nodes"]?.arrayValue, !children.isEmpty else {
                throw TagFilterError("\(path).nodes: '\(name)' needs a non-empty array of nodes")
            }
            var parsed: [TagFilter] = []
            for (index, child) in children.enumerated() {
                parsed.append(
                    try parse(child, path: "\(path).nodes[\(index)]", root: root, depth: depth + 1, nodes: &nodes)
                )
            }
            switch name {
            case "and": return .and(parsed)
            case "or": return .or(parsed)
            case "not":
                guard parsed.count == 1 else { throw TagFilterError("\(path).nodes: 'not' takes exactly one node") }
                return .not(parsed[0])
            default:
                throw TagFilterError("\(path).op: unknown operator '\(name)' (use and, or, not)")
            }
        }
        guard let key = fields["key"]?.stringValue, !key.isEmpty else {
            throw TagFilterError("\(path).key: a leaf needs a non-empty string key")
        }
        guard let cmpName = fields["cmp"]?.stringValue else { throw TagFilterError("\(path).cmp: must be a string") }
        guard let comparison = TagComparison(rawValue: cmpName) else {
            let known = TagComparison.allCases.map(\.rawValue).joined(separator: " ")
            throw TagFilterError("\(path).cmp: unknown comparison '\(cmpName)' (use one of \(known))")
        }
        switch comparison.operands {
        case .none:
            return .compare(key: key, comparison: comparison, values: [])
        case .one:
            guard let value = fields["val"]?.scalarText else {
                throw TagFilterError("\(path).val: '\(cmpName)' needs a string value")
            }
            if comparison.isOrdering, value.isEmpty { throw TagFilterError("\(path).val: must not be empty") }
            return .compare(key: key, comparison: comparison, values: [value])
        case .many:
            guard let list = fields["vals"]?.arrayValue, !list.isEmpty else {
                throw TagFilterError("\(path).vals: '\(cmpName)' needs a non-empty array of strings")
            }
            guard list.count <= maximumValues else {
                throw TagFilterError("\(path).vals: more than \(maximumValues) values")
            }
            var values: [String] = []
            for item in list {
                guard let text = item.scalarText else { throw TagFilterError("\(path).vals: must hold strings only") }
                values.append(text)
            }
            return .compare(key: key, comparison: comparison, values: values)
        }
    }

    /// The filter in its wire form.
    public var jsonValue: JSONValue {
        switch self {
        case .compare(let key, let comparison, let values):
            switch comparison.operands {
            case .none: ["key": .string(key), "cmp": .string(comparison.rawValue)]
            case .one: ["key": .string(key), "cmp": .string(comparison.rawValue), "val": .string(values[0])]
            case .many:
                [
                    "key": .string(key), "cmp": .string(comparison.rawValue),
                    "vals": .array(values.map(JSONValue.string)),
                ]
            }
        case .and(let nodes): ["op": "and", "nodes": .array(nodes.map(\.jsonValue))]
        case .or(let nodes): ["op": "or", "nodes": .array(nodes.map(\.jsonValue))]
        case .not(let node): ["op": "not", "nodes": [node.jsonValue]]
        }
    }

    /// Whether `tags` satisfy the filter. A reference evaluation for clients and tests; the server
    /// evaluates a compiled form.
    public func matches(_ tags: [String: String]) -> Bool {
        switch self {
        case .compare(let key, let comparison, let values): comparison.holds(tags[key], values)
        case .and(let nodes): nodes.allSatisfy { $0.matches(tags) }
        case .or(let nodes): nodes.contains { $0.matches(tags) }
        case .not(let node): !node.matches(tags)
        }
    }
}

/// How a filter leaf compares an event's tag with its operand.
public enum TagComparison: String, Sendable, Hashable, CaseIterable {
    case eq, neq, `in`, nin, ex, nex, sw, ew, ct, gt, gte, lt, lte

    /// How many operands the comparison takes.
    public enum Operands: Sendable { case none, one, many }

    public var operands: Operands {
        switch self {
        case .ex, .nex: .none
        case .in, .nin: .many
        default: .one
        }
    }

    /// `gt`, `gte`, `lt`, `lte`: numeric when both sides are numbers, byte-wise otherwise.
    public var isOrdering: Bool { self == .gt || self == .gte || self == .lt || self == .lte }

    /// Whether a tag with `value` (`nil` when absent) satisfies the comparison with `operands`.
    /// Every comparison but `neq`, `nin` and `nex` fails on an absent tag.
    public func holds(_ value: String?, _ operands: [String]) -> Bool {
        guard let value else { return self == .neq || self == .nin || self == .nex }
        switch self {
        case .eq: return value == operands[0]
        case .neq: return value != operands[0]
        case .in: return operands.contains(value)
        case .nin: return !operands.contains(value)
        case .ex: return true
        case .nex: return false
        case .sw: return value.utf8.starts(with: operands[0].utf8)
        case .ew: return TagText.hasSuffix(value, operands[0])
        case .ct: return TagText.contains(value, operands[0])
        case .gt, .gte, .lt, .lte:
            let order = TagText.order(value, operands[0])
            switch self {
            case .gt: return order > 0
            case .gte: return order >= 0
            case .lt: return order < 0
            default: return order <= 0
            }
        }
    }
}

/// Why a filter was refused: the message names the offending node (`filter.nodes[1].cmp: …`).
public struct TagFilterError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
