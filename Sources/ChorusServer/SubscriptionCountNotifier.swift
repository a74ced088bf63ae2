import ChorusCore
import ChorusProtocol
import NIOCore
import Synchronization

/// Sends `pusher_internal:subscription_count` to a channel's subscribers, and the same count as a
/// `subscription_count` webhook, for apps with `subscription_count_enabled` — never on presence
/// channels, whose members already see each other. Throttled by ``SubscriptionCountThrottle``.
final class SubscriptionCountNotifier: Sendable {
    private let throttle: Mutex<SubscriptionCountThrottle>
    private let publisher: EventPublisher
    private let webhooks: WebhookDispatcher
    private let clock: any ServerClock

    init(
        publisher: EventPublisher,
        webhooks: WebhookDispatcher,
        clock: any ServerClock,
        throttle: SubscriptionCountThrottle = .init()
    ) {
        self.publisher = publisher
        self.webhooks = webhooks
        self.clock = clock
        self.throttle = Mutex(throttle)
    }

    /// The channel `key` now has `count` subscriptions; a trailing update is timed on `eventLoop`.
    ///
    /// In a cluster every node tells its own subscribers, but only the node where the change
    /// happened sends the webhook (`notifiesWebhook`).
    func countChanged(_ key: ChannelKey, count: Int, on eventLoop: any EventLoop, notifiesWebhook: Bool = true) {
        let decision = throttle.withLock { $0.changed(key, count: count, now: clock.now()) }
        switch decision {
        case .send(let count):
            announce(key, count: count, notifiesWebhook: notifiesWebhook)
        case .sendLater(let deadline):
            clock.schedule(at: deadline, on: eventLoop) {
                guard let count = self.throttle.withLock({ $0.trailingCount(for: key, now: self.clock.now()) }) else {
                    return
                }
                self.announce(key, count: count, notifiesWebhook: notifiesWebhook)
            }
        case .none:
            break
        }
    }

    private func announce(_ key: ChannelKey, count: Int, notifiesWebhook: Bool) {
        guard count > 0 else { return }
        publisher.publish(.subscriptionCount(channel: key.channel, count: count), appID: key.appID)
        if notifiesWebhook { webhooks.enqueue(.subscriptionCount(key.channel, count: count), appID: key.appID) }
    }
}
