package import ChorusProtocol
package import NIOCore
import Synchronization

/// What every shard shares about channels: subscription counts, presence rosters and cached
/// events, per app. Touched on subscribe, unsubscribe and cache-channel publishes — never once per
/// subscriber — so one lock serves all event loops.
///
/// In a cluster the counts and rosters include what the other nodes reported (see
/// `ChannelDirectory+Remote.swift`), so every answer here is cluster-wide.
package final class ChannelDirectory: Sendable {
    let channels = Mutex<[ChannelKey: ChannelState]>([:])

    package init() {}

    /// The outcome of one connection subscribing.
    package enum JoinOutcome: Sendable {
        case joined(Join)
        /// The presence channel already has the app's maximum number of members.
        case memberLimitReached
    }

    /// What one connection's subscription changed.
    package struct Join: Sendable {
        /// The channel had no subscriber before (a `channel_occupied` moment).
        package var isFirstSubscriber: Bool
        /// The presence user had no other connection on the channel (announce `member_added`).
        package var memberAdded: Bool
        /// The presence roster including the new member; empty for other channels.
        package var roster: [PresenceMember]
        /// The last event of a cache channel, if one is held and fresh.
        package var cached: CachedEvent?
        /// Subscriptions after this one.
        package var subscriptionCount: Int
        /// The presence roster's version after this join (0 for other channels); membership events
        /// older than this are already in ``roster`` and must not reach this subscriber again.
        package var presenceVersion: UInt64

        package init(
            isFirstSubscriber: Bool,
            memberAdded: Bool,
            roster: [PresenceMember],
            cached: CachedEvent?,
            subscriptionCount: Int,
            presenceVersion: UInt64
        ) {
            self.isFirstSubscriber = isFirstSubscriber
            self.memberAdded = memberAdded
            self.roster = roster
            self.cached = cached
            self.subscriptionCount = subscriptionCount
            self.presenceVersion = presenceVersion
        }
    }

    /// What one connection's unsubscription changed.
    package struct Leave: Sendable {
        /// The channel has no subscriber left (a `channel_vacated` moment).
        package var isLastSubscriber: Bool
        /// The presence user has no connection left on the channel (announce `member_removed`).
        package var memberRemoved: Bool
        /// Subscriptions after this one.
        package var subscriptionCount: Int
        /// The presence roster's version after this departure (0 for other channels).
        package var presenceVersion: UInt64

        package init(isLastSubscriber: Bool, memberRemoved: Bool, subscriptionCount: Int, presenceVersion: UInt64) {
            self.isLastSubscriber = isLastSubscriber
            self.memberRemoved = memberRemoved
            self.subscriptionCount = subscriptionCount
            self.presenceVersion = presenceVersion
        }
    }

    /// Records a subscription; `member` is the presence member for presence channels.
    package func subscribe(
        _ key: ChannelKey,
        member: PresenceMember?,
        maxMembers: Int,
        now: NIODeadline = .now()
    ) -> JoinOutcome {
        channels.withLock { channels in
            var state = channels[key] ?? ChannelState()
            var memberAdded = false
            if let member {
                var roster = state.roster ?? PresenceRoster()
                if !roster.contains(member.userID), roster.count >= maxMembers { return .memberLimitReached }
                memberAdded = roster.join(member)
                state.roster = roster
                state.presenceVersion += 1
            }
            state.subscriptionCount += 1
            if let cached = state.cached, cached.expires <= now { state.cached = nil }
            channels[key] = state
            return .joined(
                Join(
                    isFirstSubscriber: state.totalSubscriptions == 1,
                    memberAdded: memberAdded,
                    roster: member == nil ? [] : state.roster?.members ?? [],
                    cached: state.cached,
                    subscriptionCount: state.totalSubscriptions,
                    presenceVersion: state.presenceVersion
                )
            )
        }
    }

    /// Records an unsubscription (or a disconnection) of one connection.
    package func unsubscribe(_ key: ChannelKey, userID: String?) -> Leave {
        channels.withLock { channels in
            guard var state = channels[key], state.subscriptionCount > 0 else {
                return Leave(isLastSubscriber: false, memberRemoved: false, subscriptionCount: 0, presenceVersion: 0)
            }
            state.subscriptionCount -= 1
            var memberRemoved = false
            if let userID, var roster = state.roster {
                memberRemoved = roster.leave(userID)
                state.roster = roster.count == 0 ? nil : roster
                state.presenceVersion += 1
            }
            channels[key] = state.isEmpty ? nil : state
            return Leave(
                isLastSubscriber: state.totalSubscriptions == 0,
                memberRemoved: memberRemoved,
                subscriptionCount: state.totalSubscriptions,
                presenceVersion: state.presenceVersion
            )
        }
    }

    /// Keeps `event` as the last event of a cache channel until `ttl` has passed.
    package func cache(_ event: CachedEvent, for key: ChannelKey) {
        channels.withLock { channels in
            var state = channels[key] ?? ChannelState()
            state.cached = event
            channels[key] = state
        }
    }

    /// The state of one channel now.
    package func snapshot(_ key: ChannelKey, now: NIODeadline = .now()) -> ChannelSnapshot {
        channels.withLock { channels in
            ChannelSnapshot(state: channels[key] ?? ChannelState(), now: now)
        }
    }

    /// Occupied channels of `appID` whose names start with `prefix`, sorted by name.
    package func occupiedChannels(appID: String, prefix: String = "") -> [(name: String, snapshot: ChannelSnapshot)] {
        let now = NIODeadline.now()
        return channels.withLock { channels in
            channels.compactMap { key, state in
                guard key.appID == appID, state.totalSubscriptions > 0, key.channel.hasPrefix(prefix) else {
                    return nil
                }
                return (key.channel, ChannelSnapshot(state: state, now: now))
            }
        }.sorted { $0.name < $1.name }
    }

    /// The members of a presence channel, in join order.
    package func members(_ key: ChannelKey) -> [PresenceMember] {
        channels.withLock { $0[key]?.roster?.members ?? [] }
    }
}

/// The last event of a cache channel, kept for subscribers that arrive later.
package struct CachedEvent: Sendable {
    /// The complete WebSocket frame, replayed as it was broadcast.
    package var frame: ByteBuffer
    package var event: String
    package var data: String
    package var expires: NIODeadline

    package init(frame: ByteBuffer, event: String, data: String, expires: NIODeadline) {
        self.frame = frame
        self.event = event
        self.data = data
        self.expires = expires
    }
}

/// A channel's state as the HTTP API reports it.
package struct ChannelSnapshot: Sendable {
    package var subscriptionCount: Int
    /// Distinct presence users; `nil` for other channels.
    package var userCount: Int?
    package var cached: CachedEvent?

    package var isOccupied: Bool { subscriptionCount > 0 }

    init(state: ChannelState, now: NIODeadline) {
        self.subscriptionCount = state.totalSubscriptions
        self.userCount = state.roster?.count
        self.cached = state.cached.flatMap { $0.expires > now ? $0 : nil }
    }
}

struct ChannelState: Sendable {
    /// Subscriptions of this node's connections.
    var subscriptionCount = 0
    /// What other nodes of a cluster reported; `nil` on a single node.
    var remote: RemoteShares?
    /// Every node's presence members; another node's member counts as one connection.
    var roster: PresenceRoster?
    var cached: CachedEvent?
    /// Counts roster changes, so membership events can be ordered against roster snapshots. It
    /// survives the roster emptying: a channel's versions never repeat while its state is kept.
    var presenceVersion: UInt64 = 0

    /// Subscriptions on every node.
    var totalSubscriptions: Int { subscriptionCount + (remote?.subscriptions ?? 0) }

    var isEmpty: Bool { subscriptionCount == 0 && remote == nil && roster == nil && cached == nil }
}
