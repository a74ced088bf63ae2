public import ChorusProtocol

/// A ``TagFilter`` compiled once, at subscribe time, into a flat array of nodes whose operands are
/// ready to compare (hashed, numbers parsed), so evaluating it against ``EventTags`` allocates
/// nothing and mostly compares integers.
///
/// Filters compare equal when their trees do, so subscribers with the same filter share one
/// evaluation per event.
public struct CompiledTagFilter: Sendable, Hashable {
    /// The filter as the client sent it.
    public let source: TagFilter
    private let nodes: [Node]

    struct Node: Sendable {
        enum Operation: Sendable {
            case compare(TagComparison)
            case and, or, not
        }

        var operation: Operation
        var keyHash = 0
        var key = ""
        var operandHash = 0
        var operand = ""
        /// The operand as a number, for ordering comparisons.
        var number: Double?
        /// `in`/`nin` operands and their hashes, in the same order.
        var values: [String] = []
        var valueHashes: [Int] = []
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

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.source == rhs.source }

    public func hash(into hasher: inout Hasher) { hasher.combine(source) }

    private static func compile(_ filter: TagFilter, at index: Int, into nodes: inout [Node]) {
        let children: [TagFilter]
        switch filter {
        case .compare(let key, let comparison, let values):
            var node = Node(operation: .compare(comparison), keyHash: key.hashValue, key: key)
            switch comparison.operands {
            case .none: break
            case .one:
                node.operand = values[0]
                node.operandHash = values[0].hashValue
                node.number = Double(values[0])
            case .many:
                node.values = values
                node.valueHashes = values.map(\.hashValue)
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
    public func matches(_ tags: EventTags) -> Bool {
        nodes.withUnsafeBufferPointer { nodes in
            tags.tags.withUnsafeBufferPointer { tags in Self.evaluate(nodes, at: 0, tags) }
        }
    }

    /// Whether an event with `tags` passes the filter (preparing the tags first; tests and tools).
    public func matches(_ tags: [String: String]) -> Bool {
        matches(EventTags(tags))
    }

    private static func evaluate(
        _ nodes: UnsafeBufferPointer<Node>,
        at index: Int,
        _ tags: UnsafeBufferPointer<EventTags.Tag>
    ) -> Bool {
        switch nodes[index].operation {
        case .compare(let comparison):
            return compare(comparison, nodes, at: index, tags)
        case .and:
            let first = nodes[index].firstChild
            for child in first..<(first + nodes[index].childCount) where !evaluate(nodes, at: child, tags) {
                return false
            }
            return true
        case .or:
            let first = nodes[index].firstChild
            for child in first..<(first + nodes[index].childCount) where evaluate(nodes, at: child, tags) {
                return true
            }
            return false
        case .not:
            return !evaluate(nodes, at: nodes[index].firstChild, tags)
        }
    }

    private static func compare(
        _ comparison: TagComparison,
        _ nodes: UnsafeBufferPointer<Node>,
        at index: Int,
        _ tags: UnsafeBufferPointer<EventTags.Tag>
    ) -> Bool {
        var found = -1
        let keyHash = nodes[index].keyHash
        for position in tags.indices where tags[position].keyHash == keyHash && tags[position].key == nodes[index].key {
            found = position
            break
        }
        guard found >= 0 else { return comparison == .neq || comparison == .nin || comparison == .nex }
        switch comparison {
        case .eq: return isOperand(tags[found], nodes[index])
        case .neq: return !isOperand(tags[found], nodes[index])
        case .in: return isListed(tags[found], nodes[index])
        case .nin: return !isListed(tags[found], nodes[index])
        case .ex: return true
        case .nex: return false
        case .sw: return tags[found].value.utf8.starts(with: nodes[index].operand.utf8)
        case .ew: return TagText.hasSuffix(tags[found].value, nodes[index].operand)
        case .ct: return TagText.contains(tags[found].value, nodes[index].operand)
        case .gt, .gte, .lt, .lte:
            let order: Int
            if let operand = nodes[index].number, let number = tags[found].number {
                order = number < operand ? -1 : (number > operand ? 1 : 0)
            } else {
                order = TagText.order(bytes: tags[found].value, nodes[index].operand)
            }
            switch comparison {
            case .gt: return order > 0
            case .gte: return order >= 0
            case .lt: return order < 0
            default: return order <= 0
            }
        }
    }

    @inline(__always)
    private static func isOperand(_ tag: EventTags.Tag, _ node: Node) -> Bool {
        tag.valueHash == node.operandHash && tag.value == node.operand
    }

    @inline(__always)
    private static func isListed(_ tag: EventTags.Tag, _ node: Node) -> Bool {
        for position in node.valueHashes.indices where node.valueHashes[position] == tag.valueHash {
            if node.values[position] == tag.value { return true }
        }
        return false
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
