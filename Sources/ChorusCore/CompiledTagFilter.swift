package import ChorusProtocol

/// A ``SubscriptionPredicate`` compiled once, at subscribe time: its tag tree into flat arrays of
/// plain-integer nodes and packed operands (``PackedText``), its event names packed the same way,
/// so evaluating it against ``EventTags`` allocates nothing, counts no references and compares
/// integers; strings are compared only for long keys, values and names whose packed forms (hash and
/// length) are equal.
///
/// The event names act as a leading `in` leaf over the event's name, ANDed with the tree.
/// Filters compare equal when their sources do, so subscribers with the same filter share one
/// evaluation per event.
package final class CompiledTagFilter: Sendable, Hashable {
    /// The filter as the client sent it.
    package let source: SubscriptionPredicate
    private let nodes: [Node]
    /// Keys and operands of every leaf, as text and packed, in the same order.
    private let strings: [String]
    private let packed: [PackedText]
    /// The event names admitted (empty: every name), as text and packed, in the same order.
    private let eventNames: [String]
    private let packedEventNames: [PackedText]
    /// Whether there is a tag tree; without one, only the names are checked.
    private let hasTree: Bool
    /// For a filter that is one `eq` or `neq` leaf on short text: its key and operand, so the
    /// commonest filter is evaluated without walking the node arrays.
    private let shortEquality: (key: PackedText, operand: PackedText, negated: Bool)?

    /// One node, all plain integers: reading it costs no reference counting.
    struct Node: Sendable {
        enum Operation: Sendable {
            case compare(TagComparison)
            case and, or, not
        }

        var operation: Operation = .and
        /// Leaves: the key at `strings[first]`, operands after it (`count` of them).
        var first = 0
        var count = 0
        /// The single operand as a number, for ordering comparisons.
        var number = 0.0
        var isNumber = false
        /// Children sit next to each other at `firstChild ..< firstChild + childCount`.
        var firstChild = 0
        var childCount = 0
    }

    package init(_ filter: SubscriptionPredicate) {
        source = filter
        var nodes = [Node()]
        var strings: [String] = []
        // No tree: an `and` of no nodes, which every event passes.
        if let tags = filter.tags { Self.compile(tags, at: 0, into: &nodes, strings: &strings) }
        self.nodes = nodes
        self.strings = strings
        self.packed = strings.map(PackedText.init)
        eventNames = filter.events
        packedEventNames = filter.events.map(PackedText.init)
        hasTree = filter.tags != nil
        if case .compare(let comparison) = nodes[0].operation, comparison == .eq || comparison == .neq,
            !packed[0].needsConfirmation, !packed[1].needsConfirmation
        {
            shortEquality = (packed[0], packed[1], comparison == .neq)
        } else {
            shortEquality = nil
        }
    }

    /// A filter over tags only.
    package convenience init(_ filter: TagFilter) {
        self.init(SubscriptionPredicate(tags: filter))
    }

    package static func == (lhs: CompiledTagFilter, rhs: CompiledTagFilter) -> Bool { lhs.source == rhs.source }

    package func hash(into hasher: inout Hasher) { hasher.combine(source) }

    /// Whether the filter lists event names; the channel's events then carry their name.
    package var filtersEventNames: Bool { !eventNames.isEmpty }

    private static func compile(_ filter: TagFilter, at index: Int, into nodes: inout [Node], strings: inout [String]) {
        let children: [TagFilter]
        switch filter {
        case .compare(let key, let comparison, let values):
            var node = Node(operation: .compare(comparison), first: strings.count, count: values.count)
            strings.append(key)
            strings.append(contentsOf: values)
            if comparison.operands == .one, let number = Double(values[0]) {
                node.number = number
                node.isNumber = true
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
        nodes.append(contentsOf: repeatElement(Node(), count: children.count))
        for (offset, child) in children.enumerated() {
            compile(child, at: first + offset, into: &nodes, strings: &strings)
        }
    }

    /// The filter and one event's tags as raw buffers, for the duration of one evaluation.
    private struct Evaluation {
        let nodes: UnsafeBufferPointer<Node>
        let strings: UnsafeBufferPointer<String>
        let packed: UnsafeBufferPointer<PackedText>
        let tags: UnsafeBufferPointer<EventTags.Tag>
        let keys: UnsafeBufferPointer<String>
        let texts: UnsafeBufferPointer<String>
    }

    /// Whether an event with `tags` (and its name, when the filter lists names) passes the filter.
    package func matches(_ tags: EventTags) -> Bool {
        if !packedEventNames.isEmpty, !admitsName(of: tags) { return false }
        guard hasTree else { return true }
        if let (key, operand, negated) = shortEquality {
            return tags.tags.withUnsafeBufferPointer { tags in
                for tag in tags where tag.key == key { return (tag.value == operand) != negated }
                return negated
            }
        }
        return nodes.withUnsafeBufferPointer { nodes in
            strings.withUnsafeBufferPointer { strings in
                packed.withUnsafeBufferPointer { packed in
                    tags.tags.withUnsafeBufferPointer { tagBuffer in
                        tags.keys.withUnsafeBufferPointer { keys in
                            tags.texts.withUnsafeBufferPointer { texts in
                                let evaluation = Evaluation(
                                    nodes: nodes,
                                    strings: strings,
                                    packed: packed,
                                    tags: tagBuffer,
                                    keys: keys,
                                    texts: texts
                                )
                                return Self.evaluate(evaluation, at: 0)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Whether an event with `tags` passes the filter (preparing the tags first; tests and tools).
    package func matches(_ tags: [String: String], event: String? = nil) -> Bool {
        matches(EventTags(tags, name: event))
    }

    /// Whether the event's name is listed; an event that came without its name is not.
    private func admitsName(of tags: EventTags) -> Bool {
        guard let name = tags.packedName else { return false }
        return packedEventNames.withUnsafeBufferPointer { names in
            for index in names.indices where names[index] == name {
                if !name.needsConfirmation || tags.name?.utf8.elementsEqual(eventNames[index].utf8) == true {
                    return true
                }
            }
            return false
        }
    }

    private static func evaluate(_ e: Evaluation, at index: Int) -> Bool {
        let node = e.nodes[index]
        switch node.operation {
        case .compare(let comparison):
            return compare(comparison, node, e)
        case .and:
            for child in node.firstChild..<(node.firstChild + node.childCount) where !evaluate(e, at: child) {
                return false
            }
            return true
        case .or:
            for child in node.firstChild..<(node.firstChild + node.childCount) where evaluate(e, at: child) {
                return true
            }
            return false
        case .not:
            return !evaluate(e, at: node.firstChild)
        }
    }

    private static func compare(_ comparison: TagComparison, _ node: Node, _ e: Evaluation) -> Bool {
        let key = e.packed[node.first]
        var found = -1
        for position in e.tags.indices where e.tags[position].key == key {
            guard !key.needsConfirmation || e.keys[position] == e.strings[node.first] else { continue }
            found = position
            break
        }
        guard found >= 0 else { return comparison == .neq || comparison == .nin || comparison == .nex }
        let tag = e.tags[found]
        switch comparison {
        case .eq, .in, .neq, .nin:
            var listed = false
            for operand in (node.first + 1)..<(node.first + 1 + node.count) where e.packed[operand] == tag.value {
                guard !tag.value.needsConfirmation || e.strings[operand] == e.texts[found] else { continue }
                listed = true
                break
            }
            return listed == (comparison == .eq || comparison == .in)
        case .ex: return true
        case .nex: return false
        case .sw: return e.texts[found].utf8.starts(with: e.strings[node.first + 1].utf8)
        case .ew: return TagText.hasSuffix(e.texts[found], e.strings[node.first + 1])
        case .ct: return TagText.contains(e.texts[found], e.strings[node.first + 1])
        case .gt, .gte, .lt, .lte:
            let order: Int
            if node.isNumber, tag.isNumber {
                order = tag.number < node.number ? -1 : (tag.number > node.number ? 1 : 0)
            } else {
                order = TagText.order(bytes: e.texts[found], e.strings[node.first + 1])
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
    /// single `eq` or `in` leaf and lists no event names; such filters are looked up by tag instead
    /// of evaluated.
    package var indexablePairs: [TagPair]? {
        guard source.events.isEmpty, case .compare(let key, let comparison, let values)? = source.tags else {
            return nil
        }
        switch comparison {
        case .eq, .in: return values.map { TagPair(key: key, value: $0) }
        default: return nil
        }
    }

    /// The event names of which an event must carry one to pass, when the filter lists names and
    /// has no tag tree; such filters are looked up by name instead of evaluated.
    package var indexableEventNames: [String]? {
        source.tags == nil && !source.events.isEmpty ? source.events : nil
    }
}

/// One tag of an event: the key an index looks filters up by.
package struct TagPair: Sendable, Hashable {
    package var key: String
    package var value: String

    package init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
