public import ChorusProtocol

extension StoredMessage {
    /// The message object (MO) of GET message, versions, history items and live events:
    /// `{"event":"sockudo:message.<action>","channel","name","data","action","message_serial",
    /// "history_serial","version":{"serial","timestamp_ms","client_id","description","metadata"}}`,
    /// absent optional fields omitted.
    public var messageObject: JSONValue {
        var version: [String: JSONValue] = [
            "serial": .string(self.version.serial),
            "timestamp_ms": .integer(self.version.timestampMs),
        ]
        if let clientID = self.version.clientID { version["client_id"] = .string(clientID) }
        if let description = self.version.description { version["description"] = .string(description) }
        if let metadata = self.version.metadata {
            version["metadata"] = (try? JSONValue(parsing: metadata)) ?? .string(metadata)
        }
        var object: [String: JSONValue] = [
            "event": .string(Self.liveEventName(action)),
            "channel": .string(channel.channel),
            "action": .string(action.rawValue),
            "message_serial": .string(messageSerial),
            "history_serial": .integer(historySerial),
            "version": .object(version),
        ]
        if let name { object["name"] = .string(name) }
        if let data { object["data"] = .string(data) }
        return .object(object)
    }

    /// One item of `GET …/history`: `{"serial","published_at_ms","event_name","message_id","message":MO}`.
    public var historyItem: JSONValue {
        var item: [String: JSONValue] = [
            "serial": .integer(historySerial),
            "published_at_ms": .integer(publishedAtMs),
            "message_id": .string(messageSerial),
            "message": messageObject,
        ]
        if let name { item["event_name"] = .string(name) }
        return .object(item)
    }

    /// The live event subscribers get for a version with `action`: `sockudo:message.<action>`.
    public static func liveEventName(_ action: MessageAction) -> String {
        "sockudo:message.\(action.rawValue)"
    }
}
