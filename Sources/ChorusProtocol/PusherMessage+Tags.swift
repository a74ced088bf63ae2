extension PusherMessage {
    /// The serialised envelope with the event's `tags` as a last member (`,"tags":{…}}`), as sent to
    /// subscribers when the app does not strip tags; without tags, the plain envelope.
    public func serialised(tags: [String: String]?) -> [UInt8] {
        var bytes: [UInt8] = []
        write(into: &bytes)
        guard let tags, !tags.isEmpty, bytes.last == UInt8(ascii: "}") else { return bytes }
        bytes.removeLast()
        bytes.append(contentsOf: #","tags":"#.utf8)
        JSONValue.object(tags.mapValues(JSONValue.string)).write(into: &bytes)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }
}
