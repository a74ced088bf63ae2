/// An event's tags prepared once per event for filter evaluation: each key and value hashed and
/// each value read as a number up front, so a filter leaf finds its tag by comparing integers and
/// never parses or hashes text per subscriber.
public struct EventTags: Sendable {
    struct Tag: Sendable {
        var keyHash: Int
        var key: String
        var valueHash: Int
        var value: String
        var number: Double?
    }

    let tags: [Tag]
    /// The tags as published.
    public let values: [String: String]

    /// No tags: what an event published without any is matched as.
    public static let empty = EventTags([:])

    public init(_ values: [String: String]) {
        self.values = values
        tags = values.map { key, value in
            Tag(keyHash: key.hashValue, key: key, valueHash: value.hashValue, value: value, number: Double(value))
        }
    }

    public var isEmpty: Bool { tags.isEmpty }
}
