import ChorusCore
import ChorusProtocol
import NIOCore
import Testing

/// A subscriber that keeps every text frame's payload, whatever its header length.
final class PayloadSink: FrameSink {
    private(set) var payloads: [[UInt8]] = []
    var isWritable: Bool { true }

    func write(_ frame: ByteBuffer) {
        var frame = frame
        let length = frame.getInteger(at: frame.readerIndex + 1, as: UInt8.self)! & 0x7F
        frame.moveReaderIndex(forwardBy: length < 126 ? 2 : (length == 126 ? 4 : 10))
        payloads.append(frame.readBytes(length: frame.readableBytes)!)
    }

    func flush() {}
    func close(code: PusherCloseReason) {}
}

@Suite("Delta compression")
struct DeltaRoutingTests {
    let key = ChannelKey(appID: "1", channel: "telemetry")

    /// The `number`th message of a stream of ~1 KB messages, each a small change of the one before.
    static func message(_ number: Int) -> [UInt8] {
        let readings = (0..<24).map { sensor in
            #"{"sensor":"bay-\#(sensor)","celsius":\#(sensor % 8 == number % 8 ? 20 + number % 17 : 20 + sensor).5}"#
        }
        let data = #"{"seq":\#(number),"readings":["# + readings.joined(separator: ",") + "]}"
        return Array(PusherMessage(event: "readings", channel: "telemetry", data: .string(data)).jsonText.utf8)
    }

    /// Publishes messages `numbers` through `chains` to `shard`, as the server does.
    func publish(_ numbers: Range<Int>, chains: DeltaChainStore, shard: BroadcastShard, force: Bool? = nil) {
        for number in numbers {
            let text = Self.message(number)
            let frames = chains.frames(for: text, event: "readings", key: key, policy: DeltaPolicy(), force: force)
            let frame = WebSocketFrameWriter.frame(.text, payload: text)
            shard.enqueue(OutboundEvent(key: key, frame: frame, delta: frames), excluding: nil)
        }
        shard.flush()
    }

    func subscriber(of shard: BroadcastShard, chains: DeltaChainStore, delta: DeltaAlgorithm?) -> PayloadSink {
        let sink = PayloadSink()
        shard.subscribe(shard.register(sink), to: key, filter: nil, delta: delta)
        if let delta { chains.join(key, algorithm: delta) }
        return sink
    }

    @Test("a batch of events forms one chain; every rebuilt message equals the full one byte for byte")
    func chain() throws {
        let shard = BroadcastShard()
        let chains = DeltaChainStore()
        let plain = subscriber(of: shard, chains: chains, delta: nil)
        let compressed = subscriber(of: shard, chains: chains, delta: .fossil)
        publish(0..<25, chains: chains, shard: shard)

        #expect(plain.payloads == (0..<25).map(Self.message))
        var decoder = DeltaDecoder()
        for (index, payload) in compressed.payloads.enumerated() {
            #expect(decoder.receive(payload) == .message(plain.payloads[index]), "message \(index)")
        }
        // Full at 1, 11, 21 (every 10th); deltas otherwise.
        #expect(decoder.deltasApplied == 22)
        let saved = 1 - Double(decoder.receivedBytes) / Double(decoder.fullBytes)
        #expect(saved >= 0.6, "saved \(saved)")
    }

    @Test("a subscriber joining mid-chain gets a full message first, then deltas")
    func lateJoiner() throws {
        let shard = BroadcastShard()
        let chains = DeltaChainStore()
        let early = subscriber(of: shard, chains: chains, delta: .fossil)
        publish(0..<3, chains: chains, shard: shard)
        let late = subscriber(of: shard, chains: chains, delta: .fossil)
        publish(3..<6, chains: chains, shard: shard)

        #expect(late.payloads.count == 3)
        #expect(DeltaMessage.splitMetadata(late.payloads[0])?.text == Self.message(3))
        var decoder = DeltaDecoder()
        for (offset, payload) in late.payloads.enumerated() {
            #expect(decoder.receive(payload) == .message(Self.message(3 + offset)))
        }
        #expect(decoder.deltasApplied == 2)
        #expect(early.payloads.count == 6)
    }

    @Test("after a sync error the next message is full")
    func syncError() throws {
        let shard = BroadcastShard()
        let chains = DeltaChainStore()
        let sink = PayloadSink()
        let slot = shard.register(sink)
        shard.subscribe(slot, to: key, filter: nil, delta: .fossil)
        chains.join(key)
        publish(0..<3, chains: chains, shard: shard)
        shard.resetDeltaBase(slot, on: key)
        publish(3..<5, chains: chains, shard: shard)
        #expect(DeltaMessage.splitMetadata(sink.payloads[3]) != nil)
        #expect(DeltaMessage(try PusherMessage(parsing: sink.payloads[4])) != nil)
    }

    @Test("the publisher's delta flag: false sends in full, true ignores the size floor")
    func publisherFlag() throws {
        var chain = DeltaChain()
        let policy = DeltaPolicy()
        let small = Array(#"{"event":"tick","channel":"c","data":"{\"price\":101.25,\"venue\":\"lp-3\"}"}"#.utf8)
        var next = small
        next[next.count - 5] = UInt8(ascii: "9")
        #expect(chain.append(small, policy: policy).base == nil)
        #expect(chain.append(next, policy: policy).base == nil)  // under 100 bytes
        #expect(chain.append(small, policy: policy, force: true).base != nil)  // forced: no size floor
        // A delta from `small` would not be smaller: DeltaChainStore sends this one in full.
        _ = chain.append(Self.message(1), policy: policy)
        #expect(chain.append(Self.message(2), policy: policy, force: false).base == nil)
        let step = chain.append(Self.message(3), policy: policy, force: true)
        #expect(step.base?.text == Self.message(2))
        #expect(step.base?.sequence == step.sequence - 1)
    }

    @Test("a channel nobody takes deltas on has no chain; the last one leaving drops it")
    func chainLifetime() {
        let chains = DeltaChainStore()
        #expect(
            chains.frames(for: Self.message(0), event: "readings", key: key, policy: DeltaPolicy(), force: nil) == nil
        )
        chains.join(key)
        chains.join(key)
        chains.leave(key)
        #expect(chains.isTracked(key))
        chains.leave(key)
        #expect(!chains.isTracked(key))
    }

    @Test("enabling deltas moves a plain or filtered subscription to the delta path")
    func enableLater() {
        let shard = BroadcastShard()
        let chains = DeltaChainStore()
        let sink = PayloadSink()
        let slot = shard.register(sink)
        shard.subscribe(slot, to: key)
        #expect(shard.deltaAlgorithm(of: slot, on: key) == nil)
        #expect(shard.enableDelta(slot, on: key))
        #expect(shard.deltaAlgorithm(of: slot, on: key) == .fossil)
        #expect(!shard.enableDelta(slot, on: key))
        #expect(shard.subscriberCount(key) == 1)
        chains.join(key)
        publish(0..<2, chains: chains, shard: shard)
        #expect(DeltaMessage.splitMetadata(sink.payloads[0]) != nil)
        #expect(DeltaMessage(try! PusherMessage(parsing: sink.payloads[1])) != nil)
    }
}
