public import ChorusProtocol

/// A ``TagFilter`` compiled once, at subscribe time, into a flat array of nodes whose operands are
/// ready to compare (numbers parsed, `in` lists hashed), so evaluating it for an event allocates
/// nothing.
///
/// Filters compare equal when their trees do, so subscribers with the same filter share one
/// evaluation per event.
public struct CompiledTagFilter: Sendable, Hashable {
    /// The filter as the client sent it.
    public let source: TagFilter
    private let nodes: [Node]

    struct Node: Sendable, Hashable {
        enum Operation: Sendable, Hashable {
            case compare(TagComparison)
            case and, or, not
        }

        var operation: Operation
        var key = ""
        var operand = ""
        /// The operand as a number, for ordering comparisons.
        var number: Double?
        var values: Set<String> = []
        /// Children sit next to each other at `firstChild ..< firstChild + childCount`.
        var firstChild = 0
        var childCount = 0
    }

    public init(_ filter: TagFilter) {
        source = filter
        var nodes = [Node(operation: .and)]
        Self.compile(filter, at: 0, into: &nodes)
        self.nodes = nodes
    }

    private static func compile(_ filter: TagFilter, at index: Int, into nodes: inout [Node]) {
        let children: [TagFilter]
        switch filter {
        case .compare(let key, let comparison, let values):
            var node = Node(operation: .compare(comparison), key: key)
            switch comparison.operands {
            case .none: break
            case .one:
                node.operand = values[0]
                node.number = Double(values[0])
            case .many: node.values = Set(values)
            }
            nodes[index] = node
            return
        case .and(let list):
            nodes[index].operation = .and
            children = list
        case .or(let list):
            nodes[index].operation = .or
            children = list
        case .not(let child):
            nodes[index].operation = .not
            children = [child]
        }
        let first = nodes.count
        nodes[index].firstChild = first
        nodes[index].childCount = children.count
        nodes.append(contentsOf: repeatElement(Node(operation: .and), count: children.count))
        for (offset, child) in children.enumerated() { compile(child, at: first + offset, into: &nodes) }
    }

    /// Whether an event with `tags` passes the filter.
    public func matches(_ tags: [String: String]) -> Bool {
        nodes.withUnsafeBufferPointer { Self.evaluate($0, at: 0, tags) }
    }

    private static func evaluate(_ nodes: UnsafeBufferPointer<Node>, at index: Int, _ tags: [String: String]) -> Bool {
        let node = nodes[index]
        switch node.operation {
        case .compare(let comparison):
            return compare(comparison, tags[node.key], node)
        case .and:
            for child in node.firstChild..<(node.firstChild + node.childCount) where !evaluate(nodes, at: child, tags) {
                return false
            }
            return true
        case .or:
            for child in node.firstChild..<(node.firstChild + node.childCount) where evaluate(nodes, at: child, tags) {
                return true
            }
            return false
        case .not:
            return !evaluate(nodes, at: node.firstChild, tags)
        }
    }

    private static func compare(_ comparison: TagComparison, _ value: String?, _ node: Node) -> Bool {
        guard let value else { return comparison == .neq || comparison == .nin || comparison == .nex }
        switch comparison {
        case .eq: return value == node.operand
        case .neq: return value != node.operand
        case .in: return node.values.contains(value)
        case .nin: return !node.values.contains(value)
        case .ex: return true
        case .nex: return false
        case .sw: return value.utf8.starts(with: node.operand.utf8)
        case .ew: return TagText.hasSuffix(value, node.operand)
        case .ct: return TagText.contains(value, node.operand)
        case .gt, .gte, .lt, .lte:
            let order: Int
            if let operand = node.number, let number = Double(value) {
                order = number < operand ? -1 : (number > operand ? 1 : 0)
            } else {
                order = TagText.order(bytes: value, node.operand)
            }
            switch comparison {
            case .gt: return order > 0
            case .gte: return order >= 0
            case .lt: return order < 0
            default: return order <= 0
            }
        }
    }

    /// The `(key, value)` pairs of which an event must carry one to pass, when the filter is a
    /// single `eq` or `in` leaf; such filters are looked up by tag instead of evaluated.
    public var indexablePairs: [TagPair]? {
        guard case .compare(let key, let comparison, let values) = source else { return nil }
        switch comparison {
        case .eq, .in: return values.map { TagPair(key: key, value: $0) }
        default: return nil
        }
    }
}

/// One tag of an event: the key an index looks filters up by.
public struct TagPair: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
