/// An event's tags prepared once per event for filter evaluation: keys and values packed into
/// integers and values read as numbers up front, so a filter leaf finds and compares its tag
/// without parsing, hashing or reference counting per subscriber.
///
/// The event's name comes along only where a subscriber filters event names (the encoder asks
/// ``EventNameFilterRegistry``), packed the same way.
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
    /// The event's name, when a subscriber of its channel filters event names.
    package let name: String?
    let packedName: PackedText?

    /// No tags: what an event published without any is matched as.
    package static let empty = EventTags([:])

    package init(_ values: [String: String], name: String? = nil) {
        self.values = values
        self.name = name
        packedName = name.map(PackedText.init)
        keys = Array(values.keys)
        texts = keys.map { values[$0]! }
        tags = zip(keys, texts).map { key, value in
            let number = Double(value)
            return Tag(key: PackedText(key), value: PackedText(value), number: number ?? 0, isNumber: number != nil)
        }
    }

    package var isEmpty: Bool { tags.isEmpty }
}
