import ChorusCore
import ChorusProtocol
import NIOCore
import Testing

@Suite("Protocol 2 subscribers in the broadcast engine")
struct ProtocolDialectDeliveryTests {
    let key = ChannelKey(appID: "1", channel: "presence-room")

    func setUp() -> (BroadcastShard, pusher: RecordingSink, sockudo: RecordingSink) {
        let shard = BroadcastShard()
        let pusher = RecordingSink()
        let sockudo = RecordingSink()
        shard.subscribe(shard.register(pusher), to: key)
        shard.subscribe(shard.register(sockudo, speaksSockudo: true), to: key)
        return (shard, pusher, sockudo)
    }

    @Test("a protocol message is encoded in both namings once; each subscriber gets its own")
    func protocolMessage() throws {
        let (shard, pusher, sockudo) = setUp()
        let message = PusherMessage.memberAdded(channel: key.channel, member: PresenceMember(userID: "u1"))
        let event = try #require(EventEncoder(directory: ChannelDirectory()).outboundEvent(for: message, appID: "1"))
        #expect(event.sockudoFrame != nil)
        shard.enqueue([event], shardIndex: 0)
        shard.flush()
        #expect(pusher.payloads == [message.jsonText])
        #expect(sockudo.payloads == [message.named(for: .sockudo).jsonText])
    }

    @Test("published events have no second form: both subscribers get the same buffer")
    func publishedEvent() throws {
        let (shard, pusher, sockudo) = setUp()
        let events = EventEncoder(directory: ChannelDirectory()).outboundEvents(
            for: [PublishedEvent(name: "note", channels: [key.channel], data: "hi")],
            settings: PublishSettings(appID: "1")
        )
        #expect(events.allSatisfy { $0.sockudoFrame == nil })
        shard.enqueue(events, shardIndex: 0)
        shard.flush()
        #expect(pusher.payloads == [#"{"event":"note","channel":"presence-room","data":"hi"}"#])
        #expect(sockudo.payloads == pusher.payloads)
    }

    @Test("a protocol message is never joined with the published events around it")
    func notCoalesced() throws {
        let encoder = EventEncoder(directory: ChannelDirectory())
        let published = encoder.outboundEvents(
            for: [PublishedEvent(name: "note", channels: [key.channel], data: "hi")],
            settings: PublishSettings(appID: "1")
        )
        let count = try #require(
            encoder.outboundEvent(for: .subscriptionCount(channel: key.channel, count: 2), appID: "1")
        )
        #expect(OutboundEvent.coalescing(published + [count] + published).count == 3)
    }
}
