import ChorusCore

extension PusherAPI {
    /// Counts `events` against the app's `max_messages_per_day`, or says why they are refused:
    /// each event counts 1 per channel it names plus 1 per subscription of that channel now (the
    /// directory's count, every node's in a cluster). Nothing is counted for an app without a
    /// quota.
    func chargeQuota(for events: [EventRequest], _ call: Call) -> MessageQuota.Refusal? {
        let limit = call.app.maxMessagesPerDay
        guard limit > 0, !events.isEmpty else { return nil }
        var messages = 0
        for event in events {
            for channel in event.channels {
                messages +=
                    1 + server.directory.snapshot(ChannelKey(appID: call.app.id, channel: channel)).subscriptionCount
            }
        }
        return server.quota.charge(appID: call.app.id, limit: limit, messages: messages)
    }
}
