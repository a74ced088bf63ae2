/// What one subscription wants delivered: events whose name is listed (any name when the list is
/// empty) and whose tags pass a ``TagFilter`` (any tags when there is none). Both must hold.
///
/// Subscribe data carries it in one of three forms (Sockudo's clients send the last two):
/// - `"filter": {tree}`: a bare tag filter tree, recognised by its `op` or `key`;
/// - `"tags_filter": {tree}`: the same, under Sockudo's name;
/// - `"filter": {"events": [names], "tags": {tree}}`: event names and/or a tag tree (each optional).
///
/// When both members are given, `filter` is read and `tags_filter` ignored, as Sockudo does; either
/// may hold either shape. A JMESPath `expression` member is refused: it is not supported.
public struct SubscriptionPredicate: Sendable, Hashable {
    /// The event names admitted, sorted by their bytes and without duplicates; empty admits every
    /// name.
    public private(set) var events: [String]
    /// The filter over the event's tags, if any.
    public var tags: TagFilter?

    /// The most event names one filter may list.
    public static let maximumEvents = 50
    /// The longest event name one filter may list, in UTF-8 bytes.
    public static let maximumEventNameBytes = 200

    public init(events: [String] = [], tags: TagFilter? = nil) {
        // Names are compared byte for byte (as Sockudo does), not by Unicode canonical equivalence.
        var unique: [String] = []
        for name in events.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        where !(unique.last?.utf8.elementsEqual(name.utf8) ?? false) {
            unique.append(name)
        }
        self.events = unique
        self.tags = tags
    }

    /// Equal when the trees are and the names are, byte for byte.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.tags == rhs.tags && lhs.events.count == rhs.events.count
            && zip(lhs.events, rhs.events).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(tags)
        for name in events {
            hasher.combine(name.utf8.count)
            for byte in name.utf8 { hasher.combine(byte) }
        }
    }

    /// Whether the filter admits every event (an empty `events` list and no tag tree).
    public var admitsEverything: Bool { events.isEmpty && tags == nil }

    /// The member of subscribe data `data` that holds its filter, with its value: `filter`, or
    /// `tags_filter` when `filter` is absent or null; `nil` when neither is given.
    public static func member(of data: JSONValue) -> (name: String, value: JSONValue)? {
        for name in ["filter", "tags_filter"] {
            if let value = data[name], value != .null { return (name, value) }
        }
        return nil
    }

    /// Parses and validates the value of subscribe data member `path` (`filter` or `tags_filter`)
    /// in either shape; the error names the problem and where it is (`filter.events[2]: …`).
    public init(json: JSONValue, path: String) throws(TagFilterError) {
        guard let fields = json.objectValue else { throw TagFilterError("\(path): must be an object") }
        let isTree = fields["op"] != nil || fields["key"] != nil
        let compoundMembers = ["events", "tags", "expression"].filter { fields[$0] != nil }
        guard !isTree else {
            if let member = compoundMembers.first {
                throw TagFilterError(
                    "\(path).\(member): a filter tree (with 'op' or 'key') cannot also have events, tags or expression"
                )
            }
            self.init(tags: try TagFilter(json: json, path: path))
            return
        }
        guard !compoundMembers.isEmpty else {
            // Neither shape: parsed as a tree, whose error says what a leaf or node needs.
            self.init(tags: try TagFilter(json: json, path: path))
            return
        }
        if let expression = fields["expression"], expression != .null {
            throw TagFilterError(
                "\(path).expression: expression filters are not supported (filter by events and tags instead)"
            )
        }
        let events = try Self.eventNames(fields["events"], path: "\(path).events")
        let tags: TagFilter? =
            switch fields["tags"] {
            case nil, .null?: nil
            case let tree?: try TagFilter(json: tree, path: "\(path).tags")
            }
        self.init(events: events, tags: tags)
    }

    private static func eventNames(_ json: JSONValue?, path: String) throws(TagFilterError) -> [String] {
        guard let json, json != .null else { return [] }
        guard let list = json.arrayValue else { throw TagFilterError("\(path): must be an array of event names") }
        guard list.count <= maximumEvents else {
            throw TagFilterError("\(path): more than \(maximumEvents) event names")
        }
        var names: [String] = []
        for (index, item) in list.enumerated() {
            guard let name = item.stringValue, !name.isEmpty else {
                throw TagFilterError("\(path)[\(index)]: must be a non-empty string")
            }
            guard name.utf8.count <= maximumEventNameBytes else {
                throw TagFilterError("\(path)[\(index)]: longer than \(maximumEventNameBytes) bytes")
            }
            names.append(name)
        }
        return names
    }

    /// The filter in its wire form: a bare tree when it only has one, the compound form otherwise.
    public var jsonValue: JSONValue {
        guard !events.isEmpty else { return tags?.jsonValue ?? [:] }
        var fields: [String: JSONValue] = ["events": .array(events.map(JSONValue.string))]
        if let tags { fields["tags"] = tags.jsonValue }
        return .object(fields)
    }

    /// Whether an event named `event` with `tags` passes the filter. A reference evaluation for
    /// clients and tests; the server evaluates a compiled form.
    public func matches(event: String, tags: [String: String]) -> Bool {
        guard events.isEmpty || events.contains(where: { $0.utf8.elementsEqual(event.utf8) }) else { return false }
        return self.tags?.matches(tags) ?? true
    }
}
