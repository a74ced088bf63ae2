import ChorusCluster
import ChorusCore
import ChorusProtocol
import Testing

@Suite struct ClusterOccupancyTests {
    private let room = ChannelKey(appID: "1", channel: "presence-room")
    private let a = NodeID("a")
    private let b = NodeID("b")

    private func share(_ count: Int, _ users: String...) -> [ChannelKey: NodeShare] {
        [room: NodeShare(subscriptions: count, members: users.map { PresenceMember(userID: $0) })]
    }

    @Test func theFirstShareOccupiesAndTheLastVacatesWhicheverNodeSentIt() {
        var occupancy = ClusterOccupancy()
        #expect(occupancy.apply(share(1, "u"), from: a) == [.occupied(room), .memberAdded(room, userID: "u")])
        #expect(occupancy.apply(share(1, "u"), from: b).isEmpty)
        #expect(occupancy.apply(share(0), from: a).isEmpty)
        #expect(occupancy.apply(share(0), from: b) == [.memberRemoved(room, userID: "u"), .vacated(room)])
    }

    @Test func aRemovedNodeTakesItsMembersAndCountsWithIt() {
        var occupancy = ClusterOccupancy()
        _ = occupancy.apply(share(2, "u", "v"), from: a)
        _ = occupancy.apply(share(1, "v"), from: b)
        #expect(occupancy.remove(a) == [.memberRemoved(room, userID: "u")])
        #expect(occupancy.replace([:], from: b) == [.memberRemoved(room, userID: "v"), .vacated(room)])
    }
}
