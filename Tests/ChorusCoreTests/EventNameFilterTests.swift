import ChorusCore
import ChorusProtocol
import NIOCore
import Testing

@Suite("Event-name filters on a shard and in the publisher")
struct EventNameFilterTests {
    let market = ChannelKey(appID: "1", channel: "market")

    static let btc = TagFilter.compare(key: "symbol", comparison: .eq, values: ["BTC"])
    static let longName = String(repeating: "n", count: 40)

    func event(_ text: String, name: String?, tags: [String: String] = [:]) -> OutboundEvent {
        OutboundEvent(key: market, frame: frame(text), tags: EventTags(tags, name: name))
    }

    /// Subscribes one recording sink per filter (`nil`: no filter) to `market`.
    func shard(_ filters: [SubscriptionPredicate?]) -> (BroadcastShard, [RecordingSink], [UInt32]) {
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

    @Test("compiled filters agree with the reference evaluation, long names included")
    func compiledMatching() {
        let filters = [
            SubscriptionPredicate(events: ["trade"]),
            SubscriptionPredicate(events: ["trade", "quote"], tags: Self.btc),
            SubscriptionPredicate(events: [Self.longName, "caf\u{E9}"]), SubscriptionPredicate(tags: Self.btc),
        ]
        let events: [(String, [String: String])] = [
            ("trade", ["symbol": "BTC"]), ("quote", ["symbol": "ETH"]), ("halt", [:]), (Self.longName, [:]),
            (Self.longName.dropLast() + "m", ["symbol": "BTC"]), ("caf\u{E9}", [:]), ("cafe\u{301}", [:]),
        ]
        for filter in filters {
            let compiled = CompiledTagFilter(filter)
            for (name, tags) in events {
                #expect(
                    compiled.matches(tags, event: name) == filter.matches(event: name, tags: tags),
                    "\(filter) \(name)"
                )
            }
        }
    }

    @Test("a filter listing names refuses an event that came without its name; one without names ignores it")
    func missingName() {
        #expect(!CompiledTagFilter(SubscriptionPredicate(events: ["trade"])).matches(["symbol": "BTC"]))
        #expect(CompiledTagFilter(SubscriptionPredicate(tags: Self.btc)).matches(["symbol": "BTC"]))
        #expect(CompiledTagFilter(SubscriptionPredicate(events: ["trade"])).filtersEventNames)
        #expect(!CompiledTagFilter(Self.btc).filtersEventNames)
    }

    @Test("subscribers get exactly the names and tags their filter admits; unfiltered ones get all")
    func routing() {
        let (shard, sinks, _) = shard([
            nil, SubscriptionPredicate(events: ["trade"]), SubscriptionPredicate(events: ["trade", "quote"]),
            SubscriptionPredicate(events: ["trade"], tags: Self.btc), SubscriptionPredicate(tags: Self.btc),
            SubscriptionPredicate(events: ["trade"]),
        ])
        #expect(shard.enqueue(event("t-btc", name: "trade", tags: ["symbol": "BTC"]), excluding: nil) == 6)
        #expect(shard.enqueue(event("t-eth", name: "trade", tags: ["symbol": "ETH"]), excluding: nil) == 4)
        #expect(shard.enqueue(event("q-btc", name: "quote", tags: ["symbol": "BTC"]), excluding: nil) == 3)
        #expect(shard.enqueue(event("halt", name: "halt"), excluding: nil) == 1)
        shard.flush()
        #expect(sinks[0].payloads == ["t-btc", "t-eth", "q-btc", "halt"])
        #expect(sinks[1].payloads == ["t-btc", "t-eth"])
        #expect(sinks[2].payloads == ["t-btc", "t-eth", "q-btc"])
        #expect(sinks[3].payloads == ["t-btc"])
        #expect(sinks[4].payloads == ["t-btc", "q-btc"])
        #expect(sinks[5].payloads == ["t-btc", "t-eth"])
    }

    @Test("names are looked up byte for byte: a decomposed é does not find a precomposed one")
    func byteExactLookup() {
        let (shard, sinks, _) = shard([SubscriptionPredicate(events: ["caf\u{E9}"])])
        #expect(shard.enqueue(event("decomposed", name: "cafe\u{301}"), excluding: nil) == 0)
        #expect(shard.enqueue(event("precomposed", name: "caf\u{E9}"), excluding: nil) == 1)
        shard.flush()
        #expect(sinks[0].payloads == ["precomposed"])
    }

    @Test("name-indexed groups go with their last subscriber")
    func removal() {
        let (shard, sinks, slots) = shard([
            SubscriptionPredicate(events: ["trade"]), SubscriptionPredicate(events: ["trade"]),
        ])
        #expect(shard.unsubscribe(slots[0], from: market))
        #expect(shard.enqueue(event("t", name: "trade"), excluding: nil) == 1)
        #expect(shard.unsubscribe(slots[1], from: market))
        #expect(shard.enqueue(event("u", name: "trade"), excluding: nil) == 0)
        shard.flush()
        #expect(sinks.map(\.payloads) == [[], ["t"]])
    }

    @Test("the registry counts subscribers per channel")
    func registry() {
        let registry = EventNameFilterRegistry()
        #expect(!registry.contains(market))
        registry.join(market)
        registry.join(market)
        registry.leave(market)
        #expect(registry.contains(market))
        #expect(!registry.contains(ChannelKey(appID: "1", channel: "other")))
        registry.leave(market)
        #expect(!registry.contains(market))
        registry.leave(market)
        #expect(!registry.contains(market))
    }

    @Test("the publisher names events only on channels with name filters; those are not joined")
    func encoder() {
        let encoder = EventEncoder(directory: ChannelDirectory())
        let settings = PublishSettings(appID: "1")
        func batch(_ channel: String) -> [PublishedEvent] {
            [
                PublishedEvent(name: "trade", channels: [channel], data: "1", tags: ["symbol": "BTC"]),
                PublishedEvent(name: "quote", channels: [channel], data: "2"),
                PublishedEvent(name: "quote", channels: [channel], data: "3"),
            ]
        }
        encoder.eventNameFilters.join(market)
        let named = encoder.outboundEvents(for: batch("market"), settings: settings)
        #expect(named.map { $0.tags?.name } == ["trade", "quote", "quote"])
        #expect(named.first?.tags?.values == ["symbol": "BTC"])
        // Elsewhere events carry no name, and the two untagged quotes are still joined into one frame.
        let plain = encoder.outboundEvents(for: batch("other"), settings: settings)
        #expect(plain.count == 2)
        #expect(plain.allSatisfy { $0.tags?.name == nil })
        let count = encoder.outboundEvent(for: .subscriptionCount(channel: "market", count: 3), appID: "1")
        #expect(count?.tags?.name == "pusher_internal:subscription_count")
        #expect(encoder.outboundEvent(for: .subscriptionCount(channel: "other", count: 3), appID: "1")?.tags == nil)
    }
}
