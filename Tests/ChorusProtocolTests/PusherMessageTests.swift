import ChorusProtocol
import Testing

@Suite struct PusherMessageTests {
    private func parse(_ text: String) throws -> PusherMessage {
        try PusherMessage(parsing: Array(text.utf8))
    }

    @Test func doubleEncodedDataStaysAString() throws {
        let message = try parse(
            #"{"event":"pusher:connection_established","data":"{\"socket_id\":\"1.2\",\"activity_timeout\":120}"}"#
        )
        #expect(message.event == "pusher:connection_established")
        #expect(message.channel == nil)
        #expect(message.data == .string(#"{"socket_id":"1.2","activity_timeout":120}"#))
        #expect(message.dataObject?["socket_id"] == "1.2")
        #expect(message.dataObject?["activity_timeout"]?.intValue == 120)
        #expect(message.dataText == #"{"socket_id":"1.2","activity_timeout":120}"#)
    }

    @Test func objectDataStaysAnObject() throws {
        let message = try parse(#"{"event":"pusher:subscribe","data":{"channel":"private-a","auth":"k:s"}}"#)
        #expect(message.data == ["channel": "private-a", "auth": "k:s"])
        #expect(message.dataObject?["channel"] == "private-a")
        #expect(message.dataText == #"{"auth":"k:s","channel":"private-a"}"#)
    }

    @Test func plainStringDataHasNoObject() throws {
        let message = try parse(#"{"event":"client-x","channel":"private-a","data":"hello"}"#)
        #expect(message.dataText == "hello")
        #expect(message.dataObject == nil)
        #expect(message.channel == "private-a")
    }

    @Test func userIDMayBeNumeric() throws {
        #expect(try parse(#"{"event":"client-x","user_id":42}"#).userID == "42")
        #expect(try parse(#"{"event":"client-x","user_id":"42"}"#).userID == "42")
    }

    @Test func rejectsWhatIsNotAnEnvelope() {
        #expect(throws: PusherMessageError.invalidJSON) { try parse("{") }
        #expect(throws: PusherMessageError.notAnObject) { try parse("[1]") }
        #expect(throws: PusherMessageError.missingEvent) { try parse(#"{"data":"x"}"#) }
        #expect(throws: PusherMessageError.missingEvent) { try parse(#"{"event":1}"#) }
        #expect(throws: PusherMessageError.invalidChannel) { try parse(#"{"event":"e","channel":5}"#) }
        #expect((try? parse(#"{"event":"e","channel":null}"#))?.channel == nil)
    }

    @Test func serialisesInPusherFieldOrder() throws {
        let message = PusherMessage(event: "my-event", channel: "my-channel", data: .string(#"{"a":1}"#), userID: "7")
        #expect(message.jsonText == #"{"event":"my-event","channel":"my-channel","data":"{\"a\":1}","user_id":"7"}"#)
        #expect(try parse(message.jsonText) == message)
    }

    @Test func serverMessagesUseDocumentedDataShapes() throws {
        let established = PusherMessage.connectionEstablished(socketID: "123.456", activityTimeout: 120)
        #expect(
            established.jsonText
                == #"{"event":"pusher:connection_established","data":"{\"activity_timeout\":120,\"socket_id\":\"123.456\"}"}"#
        )
        #expect(PusherMessage.pong.jsonText == #"{"event":"pusher:pong","data":{}}"#)
        let error = PusherMessage.error("Application does not exist", code: .appDoesNotExist)
        #expect(error.data?["code"]?.intValue == 4001)
        #expect(PusherMessage.error("x", code: nil).data?["code"] == .null)
        #expect(
            PusherMessage.subscriptionSucceeded(channel: "c").jsonText
                == #"{"event":"pusher_internal:subscription_succeeded","channel":"c","data":"{}"}"#
        )
        #expect(
            PusherMessage.cacheMiss(channel: "cache-x").jsonText
                == #"{"event":"pusher:cache_miss","channel":"cache-x"}"#
        )
        let roster = PusherMessage.presenceSubscriptionSucceeded(
            channel: "presence-r",
            members: [PresenceMember(userID: "1", userInfo: ["name": "A"])]
        )
        let presence = try #require(roster.dataObject?["presence"])
        #expect(presence["count"]?.intValue == 1)
        #expect(presence["ids"] == ["1"])
        #expect(presence["hash"] == ["1": ["name": "A"]])
    }

    @Test func jsonTextEscapes() {
        let value: JSONValue = ["q": "a\"b\\c\n\u{01}"]
        #expect(value.jsonText == #"{"q":"a\"b\\c\n\u0001"}"#)
    }
}

@Suite struct PresenceMemberTests {
    @Test func numericAndStringUserIDs() throws {
        let numeric = try PresenceMember(channelData: #"{"user_id":10,"user_info":{"name":"Mr. Pusher"}}"#)
        #expect(numeric.userID == "10")
        #expect(numeric.userInfo == ["name": "Mr. Pusher"])
        let string = try PresenceMember(channelData: #"{"user_id":"10"}"#)
        #expect(string.userID == "10")
        #expect(string.userInfo == nil)
    }

    @Test func rejectsBadChannelData() {
        #expect(throws: PresenceMemberError.invalidChannelData) { try PresenceMember(channelData: "nope") }
        #expect(throws: PresenceMemberError.invalidChannelData) { try PresenceMember(channelData: "[1]") }
        #expect(throws: PresenceMemberError.missingUserID) { try PresenceMember(channelData: #"{"user_info":{}}"#) }
        #expect(throws: PresenceMemberError.missingUserID) { try PresenceMember(channelData: #"{"user_id":""}"#) }
        #expect(throws: PresenceMemberError.missingUserID) { try PresenceMember(channelData: #"{"user_id":{"a":1}}"#) }
        let longest = String(repeating: "u", count: 128)
        #expect((try? PresenceMember(channelData: #"{"user_id":"\#(longest)"}"#))?.userID == longest)
        #expect(throws: PresenceMemberError.userIDTooLong) {
            try PresenceMember(channelData: #"{"user_id":"\#(longest)u"}"#)
        }
    }
}
