import ChorusCluster
import ChorusCore
import NIOCore
import Synchronization

/// Tells the other nodes what this node's share of channels became: presence changes and this
/// node's first and last subscriber of a channel at once (rosters, presence limits and webhooks
/// depend on them), other count changes gathered for ``delay`` so 10,000 subscribers arriving
/// cost a few messages.
final class ShareReporter: Sendable {
    /// How long plain count changes wait to go out together.
    static let delay = TimeAmount.milliseconds(100)

    private struct State {
        var pending: Set<ChannelKey> = []
        var scheduled = false
    }

    private let link: ClusterLink
    private let directory: ChannelDirectory
    private let state = Mutex(State())

    init(link: ClusterLink, directory: ChannelDirectory) {
        self.link = link
        self.directory = directory
    }

    /// This node's share of `key` changed; `presence` when a presence member joined or left.
    func changed(_ key: ChannelKey, presence: Bool) {
        let urgent = presence || directory.localShare(key).subscriptions <= 1
        let schedule = state.withLock { state in
            state.pending.insert(key)
            guard !urgent, !state.scheduled else { return false }
            state.scheduled = true
            return true
        }
        if urgent {
            flush()
        } else if schedule {
            link.eventLoop.scheduleTask(in: Self.delay) { self.flush() }
        }
    }

    private func flush() {
        let keys = state.withLock { state in
            defer {
                state.pending = []
                state.scheduled = false
            }
            return state.pending
        }
        guard !keys.isEmpty else { return }
        let shares = Dictionary(uniqueKeysWithValues: keys.map { ($0, directory.localShare($0)) })
        link.send(.shares(shares))
    }
}
