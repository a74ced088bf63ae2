import ChorusCore
import ChorusProtocol
import NIOCore
import Testing

@Suite("Conflation keys: one delta chain per key within a channel")
struct ConflationTests {
    let key = ChannelKey(appID: "1", channel: "prices")
    let rule = ConflationRule(path: "symbol", maximumKeys: 100)

    /// The `round`th quote of `symbol`: ~1 KB, one level's price changing each round.
    static func data(_ symbol: String, round: Int) -> JSONValue {
        let levels = (0..<24).map { level in
            let cents = level == round % 24 ? 50 + round : 25
            return #"{"level":\#(level),"bid":\#(100 + level).\#(cents),"size":\#(1000 + level * 10)}"#
        }
        return .string(#"{"symbol":"\#(symbol)","round":\#(round),"book":[\#(levels.joined(separator: ","))]}"#)
    }

    static func text(_ data: JSONValue) -> [UInt8] {
        Array(PusherMessage(event: "quote", channel: "prices", data: data).jsonText.utf8)
    }

    func publish(_ data: JSONValue, chains: DeltaChainStore, shard: BroadcastShard) {
        let text = Self.text(data)
        let frames = chains.frames(for: text, event: "quote", data: data, key: key, policy: DeltaPolicy(), force: nil)
        shard.enqueue(
            OutboundEvent(key: key, frame: WebSocketFrameWriter.frame(.text, payload: text), delta: frames),
            excluding: nil
        )
        shard.flush()
    }

    @Test("the key is read from the event's data at a dotted path; a missing key is \"\"")
    func keyExtraction() {
        #expect(rule.key(in: Self.data("BTC", round: 1)) == "BTC")
        #expect(ConflationRule(path: "quote.id", maximumKeys: 1).key(in: .string(#"{"quote":{"id":7}}"#)) == "7")
        #expect(rule.key(in: .string("not json")) == "")
        #expect(rule.key(in: ["symbol": "ETH"]) == "ETH")
    }

    @Test("100 keys interleaved: after each key's first message every message is a delta against the same key's last")
    func interleaved() throws {
        let chains = DeltaChainStore()
        let shard = BroadcastShard()
        let plain = PayloadSink()
        let conflated = PayloadSink()
        shard.subscribe(shard.register(plain), to: key)
        shard.subscribe(shard.register(conflated), to: key, filter: nil, delta: .xdelta3)
        chains.join(key, algorithm: .xdelta3, conflation: rule)
        let symbols = (0..<100).map { "S\($0)" }
        for round in 0..<5 {
            for symbol in symbols { publish(Self.data(symbol, round: round), chains: chains, shard: shard) }
        }
        var decoder = DeltaDecoder()
        for (index, payload) in conflated.payloads.enumerated() {
            #expect(decoder.receive(payload) == .message(plain.payloads[index]), "message \(index)")
        }
        // Round 0: 100 full messages; rounds 1-4: deltas, but each key's 10th message goes in full.
        #expect(decoder.deltasApplied == 400)
        #expect(decoder.receivedBytes * 2 < decoder.fullBytes)  // round 0 (100 full messages) included
    }

    @Test(
        "a subscriber sent the cache sync takes deltas of every key at once; one without it starts with full messages"
    )
    func cacheSync() throws {
        let chains = DeltaChainStore()
        let shard = BroadcastShard()
        let early = PayloadSink()
        shard.subscribe(shard.register(early), to: key, filter: nil, delta: .fossil)
        chains.join(key, algorithm: .fossil, conflation: rule)
        for symbol in ["A", "B", "C"] { publish(Self.data(symbol, round: 0), chains: chains, shard: shard) }

        let sync = try #require(chains.cacheSync(key))
        #expect(sync.sequence == 3 && Set(sync.states.keys) == ["A", "B", "C"])
        let synced = PayloadSink()
        shard.subscribe(shard.register(synced), to: key, filter: nil, delta: .fossil, syncedAt: sync.sequence)
        chains.join(key, algorithm: .fossil, conflation: rule)
        let unsynced = PayloadSink()
        shard.subscribe(shard.register(unsynced), to: key, filter: nil, delta: .fossil)
        chains.join(key, algorithm: .fossil, conflation: rule)
        for symbol in ["B", "A"] { publish(Self.data(symbol, round: 1), chains: chains, shard: shard) }

        var decoder = DeltaDecoder()
        #expect(decoder.receive(Array(sync.message.jsonText.utf8)) == .synced(channel: "prices"))
        for payload in synced.payloads {
            guard case .message = decoder.receive(payload) else {
                Issue.record("not rebuilt")
                return
            }
        }
        #expect(decoder.deltasApplied == 2)
        // B's and A's bases are older than what the unsynced subscriber holds: full messages.
        #expect(unsynced.payloads.allSatisfy { DeltaMessage.splitMetadata($0) != nil })
    }

    @Test("past max keys the least recently used key is forgotten; its next message is full")
    func eviction() {
        var chain = DeltaChain(maximumKeys: 2)
        let policy = DeltaPolicy(minimumBytes: 0)
        _ = chain.append(Self.text(Self.data("A", round: 0)), conflationKey: "A", policy: policy)
        _ = chain.append(Self.text(Self.data("B", round: 0)), conflationKey: "B", policy: policy)
        #expect(chain.append(Self.text(Self.data("A", round: 1)), conflationKey: "A", policy: policy).base != nil)
        _ = chain.append(Self.text(Self.data("C", round: 0)), conflationKey: "C", policy: policy)  // evicts B
        #expect(Set(chain.bases.keys) == ["A", "C"])
        #expect(chain.append(Self.text(Self.data("B", round: 1)), conflationKey: "B", policy: policy).base == nil)
        #expect(chain.bases.count == 2)
    }
}
