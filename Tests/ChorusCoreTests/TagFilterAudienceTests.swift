import ChorusCore
import ChorusProtocol
import NIOCore
import Testing

@Suite("Tag filters on a shard")
struct TagFilterAudienceTests {
    let market = ChannelKey(appID: "1", channel: "market")

    func event(_ text: String, tags: [String: String]?) -> OutboundEvent {
        OutboundEvent(key: market, frame: frame(text), tags: tags.map { EventTags($0) })
    }

    /// Subscribes one recording sink per filter (`nil`: no filter) to `market`.
    func shard(_ filters: [TagFilter?]) -> (BroadcastShard, [RecordingSink], [UInt32]) {
        let shard = BroadcastShard()
        var sinks: [RecordingSink] = []
        var slots: [UInt32] = []
        for filter in filters {
            let sink = RecordingSink()
            let slot = shard.register(sink)
            #expect(shard.subscribe(slot, to: market, filter: filter.map(CompiledTagFilter.init), delta: nil))
            sinks.append(sink)
            slots.append(slot)
        }
        return (shard, sinks, slots)
    }

    static let btc = TagFilter.compare(key: "symbol", comparison: .eq, values: ["BTC"])
    static let majors = TagFilter.compare(key: "symbol", comparison: .in, values: ["BTC", "ETH"])
    static let bigTrades = TagFilter.and([
        .compare(key: "type", comparison: .eq, values: ["trade"]),
        .compare(key: "size", comparison: .gte, values: ["100"]),
    ])
    static let notHalted = TagFilter.not(.compare(key: "halted", comparison: .ex, values: []))

    @Test("only subscribers whose filter the tags pass get the event; unfiltered ones get all")
    func routing() {
        let (shard, sinks, _) = shard([nil, Self.btc, Self.majors, Self.bigTrades, Self.notHalted, Self.btc])
        #expect(
            shard.enqueue(event("t1", tags: ["symbol": "BTC", "type": "trade", "size": "250"]), excluding: nil) == 6
        )
        #expect(
            shard.enqueue(event("t2", tags: ["symbol": "ETH", "type": "trade", "size": "99.5"]), excluding: nil) == 3
        )
        #expect(shard.enqueue(event("t3", tags: ["symbol": "SOL", "halted": "yes"]), excluding: nil) == 1)
        #expect(shard.enqueue(event("t4", tags: nil), excluding: nil) == 2)
        shard.flush()
        #expect(sinks[0].payloads == ["t1", "t2", "t3", "t4"])
        #expect(sinks[1].payloads == ["t1"])
        #expect(sinks[2].payloads == ["t1", "t2"])
        #expect(sinks[3].payloads == ["t1"])
        #expect(sinks[4].payloads == ["t1", "t2", "t4"])
        #expect(sinks[5].payloads == ["t1"])
    }

    @Test("the excluded connection gets nothing, filtered or not")
    func exclusion() {
        let (shard, sinks, slots) = shard([Self.btc, Self.btc, nil])
        #expect(shard.enqueue(event("t", tags: ["symbol": "BTC"]), excluding: slots[0]) == 2)
        shard.flush()
        #expect(sinks.map(\.payloads) == [[], ["t"], ["t"]])
    }

    @Test("unsubscribing and unregistering remove filtered subscribers and their groups")
    func removal() {
        let (shard, sinks, slots) = shard([Self.btc, Self.btc, Self.bigTrades])
        #expect(shard.subscriberCount(market) == 3)
        #expect(shard.unsubscribe(slots[0], from: market))
        shard.unregister(slots[2])
        #expect(shard.subscriberCount(market) == 1)
        #expect(shard.statistics.subscriptions == 1)
        #expect(
            shard.enqueue(event("t", tags: ["symbol": "BTC", "type": "trade", "size": "500"]), excluding: nil) == 1
        )
        shard.flush()
        #expect(sinks.map(\.payloads) == [[], ["t"], []])
        #expect(shard.unsubscribe(slots[1], from: market))
        #expect(shard.subscriberCount(market) == 0)
        #expect(shard.enqueue(event("u", tags: ["symbol": "BTC"]), excluding: nil) == 0)
    }

    @Test("a subscription without filter or delta stays on the plain path")
    func plainPath() {
        let (shard, sinks, _) = shard([nil, nil])
        #expect(shard.enqueue(event("t", tags: ["symbol": "BTC"]), excluding: nil) == 2)
        shard.flush()
        #expect(sinks.map(\.payloads) == [["t"], ["t"]])
    }
}
