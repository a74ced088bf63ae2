import ChorusCore
import NIOCore
import Testing

@Suite("Joining a batch's consecutive events for one channel")
struct OutboundEventCoalescingTests {
    static func event(_ channel: String, _ text: String, excluding: SubscriberAddress? = nil) -> OutboundEvent {
        OutboundEvent(
            key: ChannelKey(appID: "1", channel: channel),
            frame: ByteBuffer(string: text),
            excluding: excluding
        )
    }

    static func texts(_ events: [OutboundEvent]) -> [String] {
        events.map { String(buffer: $0.frame) }
    }

    @Test("a run for one channel becomes one frame holding every event in order")
    func joinsRuns() {
        let batch = (0..<10).map { Self.event("orders", "e\($0);") }
        let joined = OutboundEvent.coalescing(batch)
        #expect(Self.texts(joined) == ["e0;e1;e2;e3;e4;e5;e6;e7;e8;e9;"])
    }

    @Test("runs are cut where the channel or the excluded connection changes, and order is kept")
    func cutsRuns() {
        let me = SubscriberAddress(shard: 0, slot: 7)
        let batch = [
            Self.event("a", "1"), Self.event("a", "2"), Self.event("b", "3"), Self.event("a", "4"),
            Self.event("a", "5", excluding: me), Self.event("a", "6", excluding: me),
        ]
        let joined = OutboundEvent.coalescing(batch)
        #expect(Self.texts(joined) == ["12", "3", "4", "56"])
        #expect(joined.map(\.key.channel) == ["a", "b", "a", "a"])
        #expect(joined.last?.excluding == me)
    }

    @Test("events with tags or presence versions are never joined")
    func keepsSpecialEvents() {
        var tagged = Self.event("a", "t")
        tagged.tags = EventTags(["k": "v"])
        var membership = Self.event("a", "m")
        membership.presenceVersion = 3
        let batch = [Self.event("a", "1"), tagged, Self.event("a", "2"), membership, Self.event("a", "3")]
        #expect(Self.texts(OutboundEvent.coalescing(batch)) == ["1", "t", "2", "m", "3"])
    }

    @Test("a single event is passed through untouched")
    func single() {
        let batch = [Self.event("a", "only")]
        #expect(Self.texts(OutboundEvent.coalescing(batch)) == ["only"])
        #expect(OutboundEvent.coalescing([]).isEmpty)
    }
}
