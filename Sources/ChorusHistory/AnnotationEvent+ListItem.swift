public import ChorusProtocol

extension AnnotationEvent {
    /// One item of `GET …/annotations`: `{"action","id","serial","messageSerial","type","name",
    /// "clientId","count","data","timestamp"}`; `id` is the annotation's serial (for a delete, the
    /// annotation it deletes), absent fields omitted.
    public var listItem: JSONValue {
        var item: [String: JSONValue] = [
            "action": .string(action.rawValue),
            "id": .string(annotationSerial),
            "serial": .string(serial),
            "messageSerial": .string(messageSerial),
            "type": .string(type),
            "timestamp": .integer(timestampMs),
        ]
        if let name { item["name"] = .string(name) }
        if let clientID { item["clientId"] = .string(clientID) }
        if let count { item["count"] = .integer(Int64(count)) }
        if let data { item["data"] = (try? JSONValue(parsing: data)) ?? .string(data) }
        return .object(item)
    }
}
