import ChorusCluster
import NIOCore
import Testing

@Suite struct ClusterMembershipTests {
    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test func aSilentNodeExpiresAfterTheTimeoutAndOnlyThen() {
        var membership = ClusterMembership(timeout: .seconds(5))
        let firstHeard = membership.heard(NodeID("a"), at: start)
        let heardAgain = membership.heard(NodeID("a"), at: start + .seconds(1))
        _ = membership.heard(NodeID("b"), at: start + .seconds(3))
        let early = membership.expire(now: start + .seconds(6))
        let late = membership.expire(now: start + .milliseconds(6_001))
        #expect(firstHeard && !heardAgain)
        #expect(early.isEmpty)
        #expect(late == [NodeID("a")])
        #expect(membership.nodes == [NodeID("b")])
    }

    @Test func aRestoredLinkGivesEveryNodeAFreshTimeout() {
        var membership = ClusterMembership(timeout: .seconds(5))
        _ = membership.heard(NodeID("a"), at: start)
        membership.linkRestored(now: start + .seconds(30))
        let expired = membership.expire(now: start + .seconds(34))
        let left = membership.left(NodeID("a"))
        let leftAgain = membership.left(NodeID("a"))
        #expect(expired.isEmpty)
        #expect(left && !leftAgain)
    }
}
