import ChorusCore
import NIOCore
import Testing

@Suite("BroadcastShard")
struct BroadcastShardTests {
    let news = ChannelKey(appID: "1", channel: "news")
    let sport = ChannelKey(appID: "1", channel: "sport")

    /// A shard with `count` writable recording subscribers of `key`.
    func shard(
        subscribers count: Int,
        of key: ChannelKey,
        limits: OutboundLimits = OutboundLimits()
    ) -> (BroadcastShard, [RecordingSink], [UInt32]) {
        let shard = BroadcastShard(limits: limits)
        var sinks: [RecordingSink] = []
        var slots: [UInt32] = []
        for _ in 0..<count {
            let sink = RecordingSink()
            let slot = shard.register(sink)
            shard.subscribe(slot, to: key)
            sinks.append(sink)
            slots.append(slot)
        }
        return (shard, sinks, slots)
    }

    @Test func framesAreWrittenOnlyOnFlushInOrderWithOneFlushPerConnection() {
        let (shard, sinks, _) = shard(subscribers: 3, of: news)
        #expect(shard.enqueue(frame("a"), to: news) == 3)
        #expect(shard.enqueue(frame("b"), to: news) == 3)
        #expect(sinks.allSatisfy { $0.events.isEmpty })

        shard.flush()

        for sink in sinks {
            #expect(sink.events == [.write("a"), .write("b"), .flush])
        }
        #expect(shard.statistics.framesQueued == 6)
        #expect(shard.statistics.framesWritten == 6)
        #expect(shard.statistics.bytesWritten == 6 * frame("a").readableBytes)
        #expect(shard.statistics.flushes == 3)
    }

    @Test func aBatchOfTenLeavesInOneFlushPerConnection() {
        let (shard, sinks, _) = shard(subscribers: 50, of: news)
        for number in 0..<10 { shard.enqueue(frame("\(number)"), to: news) }
        shard.flush()
        for sink in sinks {
            #expect(sink.payloads == (0..<10).map { "\($0)" })
            #expect(sink.flushCount == 1)
            #expect(sink.events.last == .flush)
        }
    }

    @Test func theExcludedConnectionGetsNothing() {
        let (shard, sinks, slots) = shard(subscribers: 3, of: news)
        #expect(shard.enqueue(frame("a"), to: news, excluding: slots[1]) == 2)
        shard.flush()
        #expect(sinks[0].payloads == ["a"])
        #expect(sinks[1].events.isEmpty)
        #expect(sinks[2].payloads == ["a"])
    }

    @Test func onlySubscribersOfTheChannelGetItsFrames() {
        let (shard, sinks, slots) = shard(subscribers: 2, of: news)
        shard.subscribe(slots[1], to: sport)
        #expect(shard.enqueue(frame("goal"), to: sport) == 1)
        #expect(shard.enqueue(frame("x"), to: ChannelKey(appID: "2", channel: "sport")) == 0)
        shard.flush()
        #expect(sinks[0].events.isEmpty)
        #expect(sinks[1].events == [.write("goal"), .flush])
    }

    @Test func aFrameForOneSlotStaysInOrderWithBroadcasts() {
        let (shard, sinks, slots) = shard(subscribers: 2, of: news)
        shard.enqueue(frame("a"), to: news)
        shard.enqueue(frame("reply"), toSlot: slots[0])
        shard.enqueue(frame("b"), to: news)
        shard.flush()
        #expect(sinks[0].payloads == ["a", "reply", "b"])
        #expect(sinks[1].payloads == ["a", "b"])
    }

    @Test func aNonWritableConnectionHoldsItsFramesUntilResumed() {
        let (shard, sinks, slots) = shard(subscribers: 2, of: news)
        sinks[0].isWritable = false
        shard.enqueue(frame("a"), to: news)
        shard.enqueue(frame("b"), to: news)
        shard.flush()
        #expect(sinks[0].events.isEmpty)
        #expect(sinks[1].payloads == ["a", "b"])
        #expect(shard.ring.heldBytes > 0)

        sinks[0].isWritable = true
        shard.resume(slots[0])
        #expect(sinks[0].events == [.write("a"), .write("b"), .flush])
        #expect(shard.ring.heldBytes == 0)
    }

    @Test func theRingIsReleasedOnceEveryConnectionHasItsFrames() {
        let (shard, _, _) = shard(subscribers: 3, of: news)
        shard.enqueue(frame("a"), to: news)
        #expect(shard.ring.heldBytes == frame("a").readableBytes)
        shard.flush()
        #expect(shard.ring.heldBytes == 0)
    }

    @Test(arguments: [SlowConsumerPolicy.dropOldest, .close])
    func exactlyFramesPerConnectionPendingIsFine(policy: SlowConsumerPolicy) {
        let limits = OutboundLimits(framesPerConnection: 4, policy: policy)
        let (shard, sinks, slots) = shard(subscribers: 2, of: news, limits: limits)
        sinks[0].isWritable = false
        for number in 0..<4 { shard.enqueue(frame("\(number)"), to: news) }
        shard.flush()
        #expect(shard.statistics.droppedFrames == 0)
        #expect(shard.statistics.slowConsumersClosed == 0)
        sinks[0].isWritable = true
        shard.resume(slots[0])
        #expect(sinks[0].payloads == ["0", "1", "2", "3"])
    }

    @Test func oneFrameBeyondTheLimitDropsTheOldestUnderDropOldest() {
        let limits = OutboundLimits(framesPerConnection: 4, policy: .dropOldest)
        let (shard, sinks, slots) = shard(subscribers: 2, of: news, limits: limits)
        sinks[0].isWritable = false
        for number in 0..<5 {
            shard.enqueue(frame("\(number)"), to: news)
            shard.flush()
        }
        #expect(shard.statistics.droppedFrames == 1)
        #expect(sinks[1].payloads == ["0", "1", "2", "3", "4"])
        sinks[0].isWritable = true
        shard.resume(slots[0])
        #expect(sinks[0].payloads == ["1", "2", "3", "4"])
        #expect(!sinks[0].events.contains(.close(.slowConsumer)))
    }

    @Test func oneFrameBeyondTheLimitForOneSlotDropsTheOldest() {
        let limits = OutboundLimits(framesPerConnection: 2, policy: .dropOldest)
        let (shard, sinks, slots) = shard(subscribers: 1, of: news, limits: limits)
        sinks[0].isWritable = false
        for number in 0..<3 { shard.enqueue(frame("\(number)"), toSlot: slots[0]) }
        #expect(shard.statistics.droppedFrames == 1)
        sinks[0].isWritable = true
        shard.resume(slots[0])
        #expect(sinks[0].payloads == ["1", "2"])
    }

    @Test func oneFrameBeyondTheLimitClosesTheConnectionUnderClose() {
        let limits = OutboundLimits(framesPerConnection: 4, policy: .close)
        let (shard, sinks, _) = shard(subscribers: 2, of: news, limits: limits)
        sinks[0].isWritable = false
        for number in 0..<5 {
            shard.enqueue(frame("\(number)"), to: news)
            shard.flush()
        }
        #expect(sinks[0].events == [.close(.slowConsumer)])
        #expect(shard.statistics.slowConsumersClosed == 1)
        #expect(sinks[1].payloads == ["0", "1", "2", "3", "4"])
        #expect(shard.ring.heldBytes == 0)
    }

    @Test(arguments: [SlowConsumerPolicy.dropOldest, .close])
    func aFrameTheRingReleasedIsLostToASlowConnection(policy: SlowConsumerPolicy) {
        // Frames of 3 bytes ("a" plus a 2-byte header); the ring holds two of them.
        let limits = OutboundLimits(framesPerConnection: 8, ringBytes: 6, policy: policy)
        let (shard, sinks, slots) = shard(subscribers: 2, of: news, limits: limits)
        sinks[0].isWritable = false
        for text in ["a", "b", "c"] {
            shard.enqueue(frame(text), to: news)
            shard.flush()
        }
        #expect(shard.ring.heldBytes == 6)
        #expect(sinks[1].payloads == ["a", "b", "c"])
        sinks[0].isWritable = true
        shard.resume(slots[0])
        switch policy {
        case .dropOldest:
            #expect(sinks[0].payloads == ["b", "c"])
            #expect(shard.statistics.droppedFrames == 1)
        case .close:
            // Closed by the resume itself: no later publish may come to flush the shard.
            #expect(sinks[0].payloads.isEmpty)
            #expect(sinks[0].events == [.close(.slowConsumer)])
        }
    }

    @Test func unregisteringFreesTheSlotForTheNextConnection() {
        let (shard, sinks, slots) = shard(subscribers: 2, of: news)
        shard.subscribe(slots[0], to: sport)
        sinks[0].isWritable = false
        shard.enqueue(frame("held"), to: news)
        shard.flush()

        shard.unregister(slots[0])
        #expect(shard.subscriberCount(news) == 1)
        #expect(shard.subscriberCount(sport) == 0)
        #expect(shard.statistics.connections == 1)

        let next = RecordingSink()
        let slot = shard.register(next)
        #expect(slot == slots[0])
        #expect(shard.channels(of: slot).isEmpty)
        #expect(!shard.isSubscribed(slot, to: news))
        shard.enqueue(frame("new"), to: news)
        shard.flush()
        #expect(next.events.isEmpty)
        #expect(sinks[1].payloads == ["held", "new"])
    }

    @Test func subscribingTwiceCountsOnce() {
        let (shard, _, slots) = shard(subscribers: 1, of: news)
        #expect(!shard.subscribe(slots[0], to: news))
        #expect(shard.subscriberCount(news) == 1)
        #expect(shard.unsubscribe(slots[0], from: news))
        #expect(!shard.unsubscribe(slots[0], from: news))
        #expect(shard.subscriberCount(news) == 0)
        #expect(shard.statistics.subscriptions == 0)
    }

    @Test func manySubscribersAcrossStorageGrowthEachGetEveryFrame() {
        let (shard, sinks, _) = shard(subscribers: 1_000, of: news)
        shard.enqueue(frame("before"), to: news)
        let late = RecordingSink()
        shard.subscribe(shard.register(late), to: news)
        shard.enqueue(frame("after"), to: news)
        shard.flush()
        #expect(sinks.allSatisfy { $0.payloads == ["before", "after"] })
        #expect(late.payloads == ["after"])
    }
}
