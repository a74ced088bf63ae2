import ChorusCore
import ChorusProtocol

/// A tag filter as a subscriber sends it, and tags to match: the compiled filter must agree with
/// the parsed tree on every input. Fields: the filter JSON, then the tags as a JSON object.
enum TagFilterFuzz {
    static func run(_ bytes: [UInt8]) {
        let fields = FuzzFields.split(bytes, into: 2)
        guard let json = try? JSONValue(parsing: fields[0]), let filter = try? TagFilter(json: json) else { return }
        let compiled = CompiledTagFilter(filter)
        var tags: [String: String] = [:]
        for (key, value) in (try? JSONValue(parsing: fields[1]))?.objectValue ?? [:] {
            if let text = value.stringValue { tags[key] = text }
        }
        precondition(compiled.matches(tags) == filter.matches(tags), "compiled and parsed filters disagree")
        precondition(compiled.matches(EventTags(tags)) == filter.matches(tags), "tag lookup disagrees")
    }
}
