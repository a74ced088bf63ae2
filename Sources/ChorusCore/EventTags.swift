/// An event's tags prepared once per event for filter evaluation: keys and values packed into
/// integers and values read as numbers up front, so a filter leaf finds and compares its tag
/// without parsing, hashing or reference counting per subscriber.
package struct EventTags: Sendable {
    /// What a leaf compares; plain integers.
    struct Tag: Sendable {
        var key: PackedText
        var value: PackedText
        var number: Double
        var isNumber: Bool
    }

    let tags: [Tag]
    let keys: [String]
    let texts: [String]
    /// The tags as published.
    package let values: [String: String]

    /// No tags: what an event published without any is matched as.
    package static let empty = EventTags([:])

    package init(_ values: [String: String]) {
        self.values = values
        keys = Array(values.keys)
        texts = keys.map { values[$0]! }
        tags = zip(keys, texts).map { key, value in
            let number = Double(value)
            return Tag(key: PackedText(key), value: PackedText(value), number: number ?? 0, isNumber: number != nil)
        }
    }

    package var isEmpty: Bool { tags.isEmpty }
}
