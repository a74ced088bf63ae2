import ChorusCluster
import ChorusCore
import ChorusProtocol
import NIOCore
import Testing

@Suite struct ClusterEnvelopeWireTests {
    private let node = NodeID("00000000000000aa")

    private func roundTrip(_ message: ClusterMessage) throws -> ClusterEnvelope {
        try ClusterEnvelope(decoding: ClusterEnvelope(sender: node, message: message).encoded())
    }

    @Test func eventsKeepEveryField() throws {
        let event = PublishedEvent(
            name: "price",
            channels: ["a", "b"],
            data: .string(#"{"v":1}"#),
            userID: "u1",
            tags: ["k": "v"],
            delta: true
        )
        let decoded = try roundTrip(.events(appID: "1", events: [event], excludingSocketID: "1.2"))
        #expect(decoded.sender == node)
        guard case .events(let appID, let events, let excluding) = decoded.message else {
            Issue.record("not events: \(decoded.message)")
            return
        }
        #expect(appID == "1")
        #expect(excluding == "1.2")
        let first = try #require(events.first)
        #expect(first.name == "price")
        #expect(first.channels == ["a", "b"])
        #expect(first.data == .string(#"{"v":1}"#))
        #expect(first.userID == "u1")
        #expect(first.tags == ["k": "v"])
        #expect(first.delta == true)
    }

    @Test func sharesKeepCountsAndMembersWithTheirInfo() throws {
        let key = ChannelKey(appID: "1", channel: "presence-room")
        let members = [PresenceMember(userID: "u1", userInfo: ["name": "Ann"]), PresenceMember(userID: "u2")]
        let decoded = try roundTrip(
            .state(shares: [key: NodeShare(subscriptions: 3, members: members)], onlineUsers: ["1": ["u1"]])
        )
        guard case .state(let shares, let users) = decoded.message else {
            Issue.record("not state: \(decoded.message)")
            return
        }
        let share = try #require(shares[key])
        #expect(share.subscriptions == 3)
        #expect(share.members.map(\.userID) == ["u1", "u2"])
        #expect(share.members.first?.userInfo == ["name": "Ann"])
        #expect(users == ["1": ["u1"]])
    }

    @Test func clientEventsAndControlMessagesRoundTrip() throws {
        let message = PusherMessage(event: "client-typing", channel: "private-a", data: .string("{}"))
        guard
            case .channelMessage(_, let decoded, let excluding) = try roundTrip(
                .channelMessage(appID: "1", message: message, excludingSocketID: "9.9")
            ).message
        else {
            Issue.record("not a channel message")
            return
        }
        #expect(decoded.event == "client-typing")
        #expect(decoded.channel == "private-a")
        #expect(excluding == "9.9")
        guard case .terminate("1", "u7") = try roundTrip(.terminate(appID: "1", userID: "u7")).message else {
            Issue.record("terminate lost its fields")
            return
        }
        guard
            case .userPresence("1", "u7", false) = try roundTrip(.userPresence(appID: "1", userID: "u7", online: false))
                .message
        else {
            Issue.record("user presence lost its fields")
            return
        }
    }

    @Test(arguments: [
        "", "[]", #"{"v":2,"n":"a","t":"hello"}"#, #"{"v":1,"n":"a","t":"nope"}"#, #"{"v":1,"t":"hello"}"#,
    ])
    func unreadablePayloadsAreRefused(_ text: String) {
        #expect(throws: ClusterWireError.self) {
            try ClusterEnvelope(decoding: ByteBuffer(string: text))
        }
    }
}
