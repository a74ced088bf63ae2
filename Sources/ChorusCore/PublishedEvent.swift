package import ChorusProtocol

/// One event a backend publishes, for one or more channels of an app.
package struct PublishedEvent: Sendable {
    package var name: String
    package var channels: [String]
    /// The event's data as text; it is sent double encoded, as a JSON string.
    package var data: JSONValue
    package var userID: String?
    /// Tags that subscribers' filters are matched against.
    package var tags: [String: String]?
    /// The publisher's `delta` flag: `true` forces a delta where one can be made, `false` sends
    /// the event in full.
    package var delta: Bool?

    package init(
        name: String,
        channels: [String],
        data: JSONValue,
        userID: String? = nil,
        tags: [String: String]? = nil,
        delta: Bool? = nil
    ) {
        self.name = name
        self.channels = channels
        self.data = data
        self.userID = userID
        self.tags = tags
        self.delta = delta
    }
}
