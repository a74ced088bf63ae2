import ChorusCore
import ChorusProtocol
import NIOCore
import Testing

@Suite("ChannelDirectory")
struct ChannelDirectoryTests {
    let room = ChannelKey(appID: "1", channel: "presence-room")

    func join(
        _ directory: ChannelDirectory,
        _ key: ChannelKey,
        user: String?,
        maxMembers: Int = 100,
        now: NIODeadline = .now()
    ) throws -> ChannelDirectory.Join {
        let member = user.map { PresenceMember(userID: $0, userInfo: .string("info-\($0)")) }
        guard case .joined(let join) = directory.subscribe(key, member: member, maxMembers: maxMembers, now: now) else {
            Issue.record("member limit reached unexpectedly")
            throw CancellationError()
        }
        return join
    }

    @Test func aUserJoinsOnItsFirstConnectionAndLeavesOnItsLast() throws {
        let directory = ChannelDirectory()
        let first = try join(directory, room, user: "ada")
        #expect(first.isFirstSubscriber)
        #expect(first.memberAdded)
        #expect(first.roster.map(\.userID) == ["ada"])

        let second = try join(directory, room, user: "ada")
        #expect(!second.isFirstSubscriber)
        #expect(!second.memberAdded)
        #expect(second.subscriptionCount == 2)

        let bob = try join(directory, room, user: "bob")
        #expect(bob.memberAdded)
        #expect(bob.roster.map(\.userID) == ["ada", "bob"])
        #expect(bob.roster.first?.userInfo == .string("info-ada"))
        #expect(directory.snapshot(room).userCount == 2)

        let leave1 = directory.unsubscribe(room, userID: "ada")
        #expect(!leave1.memberRemoved)
        #expect(!leave1.isLastSubscriber)
        let leave2 = directory.unsubscribe(room, userID: "ada")
        #expect(leave2.memberRemoved)
        #expect(directory.members(room).map(\.userID) == ["bob"])
        let leave3 = directory.unsubscribe(room, userID: "bob")
        #expect(leave3.memberRemoved)
        #expect(leave3.isLastSubscriber)
        #expect(!directory.snapshot(room).isOccupied)
        #expect(directory.occupiedChannels(appID: "1").isEmpty)
    }

    @Test func theMemberLimitRefusesOnlyNewUsers() throws {
        let directory = ChannelDirectory()
        _ = try join(directory, room, user: "ada", maxMembers: 2)
        _ = try join(directory, room, user: "bob", maxMembers: 2)
        let refused = directory.subscribe(room, member: PresenceMember(userID: "eve"), maxMembers: 2)
        guard case .memberLimitReached = refused else {
            Issue.record("a third user joined a channel limited to two")
            return
        }
        // A second connection of a present user is not a new member.
        let again = try join(directory, room, user: "bob", maxMembers: 2)
        #expect(!again.memberAdded)
        #expect(directory.snapshot(room).userCount == 2)
        #expect(directory.snapshot(room).subscriptionCount == 3)
    }

    @Test func channelsOfDifferentAppsAreSeparate() throws {
        let directory = ChannelDirectory()
        let other = ChannelKey(appID: "2", channel: "presence-room")
        _ = try join(directory, room, user: "ada")
        #expect(try join(directory, other, user: "ada").isFirstSubscriber)
        #expect(directory.occupiedChannels(appID: "2").map(\.name) == ["presence-room"])
    }

    @Test func occupiedChannelsAreFilteredByPrefixAndSorted() throws {
        let directory = ChannelDirectory()
        for name in ["news-b", "sport", "news-a"] {
            _ = try join(directory, ChannelKey(appID: "1", channel: name), user: nil)
        }
        #expect(directory.occupiedChannels(appID: "1", prefix: "news-").map(\.name) == ["news-a", "news-b"])
        #expect(directory.snapshot(ChannelKey(appID: "1", channel: "sport")).userCount == nil)
    }

    @Test func aCachedEventExpiresAfterItsTTL() throws {
        let directory = ChannelDirectory()
        let cacheKey = ChannelKey(appID: "1", channel: "cache-prices")
        let start = NIODeadline.now()
        let event = CachedEvent(
            frame: WebSocketFrameWriter.textFrame("{}"),
            event: "tick",
            data: "1",
            expires: start + .seconds(30)
        )
        directory.cache(event, for: cacheKey)
        #expect(directory.snapshot(cacheKey, now: start + .seconds(29)).cached?.data == "1")
        #expect(try join(directory, cacheKey, user: nil, now: start + .seconds(29)).cached?.event == "tick")
        #expect(directory.snapshot(cacheKey, now: start + .seconds(30)).cached == nil)
        #expect(try join(directory, cacheKey, user: nil, now: start + .seconds(31)).cached == nil)
        // Expired on that subscribe: it stays gone even when asked about an earlier moment.
        #expect(directory.snapshot(cacheKey, now: start).cached == nil)
    }
}
