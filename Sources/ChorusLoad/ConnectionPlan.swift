import ChorusProtocol

/// One connection the run opens: what it subscribes to and whether its deliveries are checked.
struct ConnectionPlan: Sendable {
    var request: SubscriptionRequest
    var channelIndex: Int
    var checked: Bool

    /// Checked subscribers first (round robin over channels), then churning presence members.
    static func plans(for scenario: Scenario, key: String, secret: String) -> [ConnectionPlan] {
        let authenticator = ChannelAuthenticator(key: key, secret: secret)
        func plan(_ index: Int, channel: Int, checked: Bool, user: String) -> ConnectionPlan {
            let data = scenario.channelKind == .presence ? SubscriptionRequest.presenceChannelData(userID: user) : nil
            let request = SubscriptionRequest(
                channel: scenario.channelName(channel), kind: scenario.channelKind, channelData: data,
                authenticator: authenticator
            )
            return ConnectionPlan(request: request, channelIndex: channel, checked: checked)
        }
        var plans = (0..<scenario.subscribers).map { index in
            plan(index, channel: scenario.channelIndex(ofSubscriber: index), checked: true, user: "user-\(index)")
        }
        for churner in 0..<(scenario.presenceChurn?.connections ?? 0) {
            plans.append(plan(churner, channel: churner % scenario.channels, checked: false, user: "churn-\(churner)"))
        }
        return plans
    }
}
