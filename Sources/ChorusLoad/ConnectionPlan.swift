import ChorusProtocol

/// One connection the run opens: what it subscribes to and whether its deliveries are checked.
struct ConnectionPlan: Sendable {
    /// A connection's part in a delta run.
    enum DeltaRole: Sendable {
        /// Takes deltas and rebuilds every message.
        case decoder
        /// Takes plain messages, the copies rebuilt messages are compared with.
        case reference
    }

    var request: SubscriptionRequest
    var channelIndex: Int
    var checked: Bool
    /// `nil` outside delta runs.
    var deltaRole: DeltaRole?

    /// Checked subscribers first (round robin over channels), then churning presence members, then
    /// one delta reference subscriber per channel.
    static func plans(for scenario: Scenario, key: String, secret: String) -> [ConnectionPlan] {
        let authenticator = ChannelAuthenticator(key: key, secret: secret)
        func plan(_ index: Int, channel: Int, checked: Bool, user: String, deltaRole: DeltaRole?) -> ConnectionPlan {
            let data = scenario.channelKind == .presence ? SubscriptionRequest.presenceChannelData(userID: user) : nil
            let request = SubscriptionRequest(
                channel: scenario.channelName(channel),
                kind: scenario.channelKind,
                channelData: data,
                authenticator: authenticator,
                delta: deltaRole == .decoder ? scenario.delta : nil
            )
            return ConnectionPlan(request: request, channelIndex: channel, checked: checked, deltaRole: deltaRole)
        }
        let subscriberRole: DeltaRole? = scenario.delta == nil ? nil : .decoder
        var plans = (0..<scenario.subscribers).map { index in
            plan(
                index,
                channel: scenario.channelIndex(ofSubscriber: index),
                checked: true,
                user: "user-\(index)",
                deltaRole: subscriberRole
            )
        }
        for churner in 0..<(scenario.presenceChurn?.connections ?? 0) {
            plans.append(
                plan(
                    churner,
                    channel: churner % scenario.channels,
                    checked: false,
                    user: "churn-\(churner)",
                    deltaRole: nil
                )
            )
        }
        for channel in 0..<scenario.referenceSubscribers {
            plans.append(
                plan(channel, channel: channel, checked: false, user: "reference-\(channel)", deltaRole: .reference)
            )
        }
        return plans
    }
}
