import ChorusCore
import ChorusProtocol
import Testing

@Suite struct ChannelDirectoryRemoteTests {
    private let room = ChannelKey(appID: "1", channel: "presence-room")
    private let news = ChannelKey(appID: "1", channel: "news")

    @Test func countsAndOccupancyAreClusterWide() throws {
        let directory = ChannelDirectory()
        let change = try #require(directory.applyRemote(NodeShare(subscriptions: 2), node: "b", key: news))
        #expect(change.becameOccupied && change.subscriptionCount == 2)
        guard case .joined(let join) = directory.subscribe(news, member: nil, maxMembers: 100) else {
            Issue.record("refused")
            return
        }
        #expect(!join.isFirstSubscriber)
        #expect(join.subscriptionCount == 3)
        #expect(directory.occupiedChannels(appID: "1").map(\.name) == ["news"])
        let leave = directory.unsubscribe(news, userID: nil)
        #expect(!leave.isLastSubscriber && leave.subscriptionCount == 2)
        let gone = directory.removeRemote(node: "b")
        #expect(gone.first?.becameVacant == true)
        #expect(directory.occupiedChannels(appID: "1").isEmpty)
    }

    @Test func aUserOnTwoNodesIsOneMemberAddedOnceAndRemovedOnce() throws {
        let directory = ChannelDirectory()
        let ann = PresenceMember(userID: "ann", userInfo: ["n": 1])
        let added = try #require(
            directory.applyRemote(NodeShare(subscriptions: 1, members: [ann]), node: "b", key: room)
        )
        #expect(added.memberEvents.map(\.added) == [true])
        guard case .joined(let join) = directory.subscribe(room, member: ann, maxMembers: 100) else {
            Issue.record("refused")
            return
        }
        #expect(!join.memberAdded)
        #expect(join.roster.map(\.userID) == ["ann"])
        #expect(directory.snapshot(room).userCount == 1)
        #expect(directory.localShare(room).members.map(\.userID) == ["ann"])
        let left = try #require(directory.applyRemote(NodeShare(subscriptions: 0), node: "b", key: room))
        #expect(left.memberEvents.isEmpty)
        #expect(directory.unsubscribe(room, userID: "ann").memberRemoved)
    }

    @Test func thePresenceLimitCountsOtherNodesMembers() {
        let directory = ChannelDirectory()
        _ = directory.applyRemote(
            NodeShare(subscriptions: 2, members: [PresenceMember(userID: "a"), PresenceMember(userID: "b")]),
            node: "b",
            key: room
        )
        guard case .memberLimitReached = directory.subscribe(room, member: PresenceMember(userID: "c"), maxMembers: 2)
        else {
            Issue.record("a third member was admitted")
            return
        }
    }

    @Test func aReplacedStateRemovesWhatTheNodeNoLongerHas() {
        let directory = ChannelDirectory()
        _ = directory.applyRemote(
            NodeShare(subscriptions: 1, members: [PresenceMember(userID: "a")]),
            node: "b",
            key: room
        )
        _ = directory.applyRemote(NodeShare(subscriptions: 4), node: "b", key: news)
        let changes = directory.replaceRemote(node: "b", with: [news: NodeShare(subscriptions: 1)])
        #expect(changes.count == 2)
        #expect(changes.first { $0.key == room }?.memberEvents.map(\.added) == [false])
        #expect(directory.snapshot(news).subscriptionCount == 1)
        #expect(directory.localShares().isEmpty)
    }
}
