import ChorusCore
import ChorusProtocol

/// A subscription filter as a subscriber sends it (a tree or `{events, tags}`), and an event to
/// match: the compiled filter must agree with the parsed one on every input. Fields: the filter
/// JSON, the tags as a JSON object, then the event's name.
enum TagFilterFuzz {
    static func run(_ bytes: [UInt8]) {
        let fields = FuzzFields.split(bytes, into: 3)
        guard let json = try? JSONValue(parsing: fields[0]),
            let filter = try? SubscriptionPredicate(json: json, path: "filter")
        else { return }
        let compiled = CompiledTagFilter(filter)
        var tags: [String: String] = [:]
        for (key, value) in (try? JSONValue(parsing: fields[1]))?.objectValue ?? [:] {
            if let text = value.stringValue { tags[key] = text }
        }
        let event = String(decoding: fields[2], as: UTF8.self)
        let expected = filter.matches(event: event, tags: tags)
        precondition(compiled.matches(tags, event: event) == expected, "compiled and parsed filters disagree")
        precondition(compiled.matches(EventTags(tags, name: event)) == expected, "tag lookup disagrees")
    }
}
