import ChorusHistory
import ChorusProtocol
import Testing

@Suite("The message object (MO) and history items")
struct MessageObjectTests {
    static let channel = ChannelRef(appID: "1", channel: "hist-chat")

    static func message(
        action: MessageAction = .create,
        name: String? = "chat.msg",
        data: String? = "hi",
        version: MessageVersionInfo = MessageVersionInfo(serial: "m1", timestampMs: 10)
    ) -> StoredMessage {
        StoredMessage(
            channel: channel,
            messageSerial: "m1",
            historySerial: 42,
            publishedAtMs: 10,
            name: name,
            data: data,
            action: action,
            versionNumber: 1,
            version: version
        )
    }

    @Test("an update's MO carries every field the spec names")
    func fullObject() throws {
        let version = MessageVersionInfo(
            serial: "v2",
            timestampMs: 99,
            clientID: "u1",
            description: "user edit",
            metadata: #"{"k":1}"#
        )
        let object = Self.message(action: .update, data: "edited", version: version).messageObject
        let expected = try JSONValue(
            parsing: #"""
                {"event":"sockudo:message.update","channel":"hist-chat","name":"chat.msg","data":"edited",
                 "action":"update","message_serial":"m1","history_serial":42,
                 "version":{"serial":"v2","timestamp_ms":99,"client_id":"u1","description":"user edit","metadata":{"k":1}}}
                """#
        )
        #expect(object == expected)
    }

    @Test("absent optional fields are omitted")
    func omitted() {
        let object = Self.message(action: .delete, name: nil, data: nil).messageObject
        #expect(object["name"] == nil)
        #expect(object["data"] == nil)
        #expect(object["version"]?["client_id"] == nil)
        #expect(object["event"] == "sockudo:message.delete")
    }

    @Test("a history item wraps the MO with serial, time, event name and message id")
    func historyItem() {
        let item = Self.message().historyItem
        #expect(item["serial"] == 42)
        #expect(item["published_at_ms"] == 10)
        #expect(item["event_name"] == "chat.msg")
        #expect(item["message_id"] == "m1")
        #expect(item["message"] == Self.message().messageObject)
    }
}
