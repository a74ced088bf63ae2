package import ChorusProtocol

/// One connection the run opens: what it subscribes to and whether its deliveries are checked.
package struct ConnectionPlan: Sendable {
    /// A connection's part in a delta run.
    package enum DeltaRole: Sendable {
        /// Takes deltas and rebuilds every message.
        case decoder
        /// Takes plain messages, the copies rebuilt messages are compared with.
        case reference
    }

    package var request: SubscriptionRequest
    /// The scenario's workload the connection belongs to.
    package var workload: Int
    /// The channel within that workload.
    package var channelIndex: Int
    package var checked: Bool
    /// `nil` outside delta runs.
    package var deltaRole: DeltaRole?
    /// Whether the connection sends its channel's client events (the first subscriber of each
    /// channel of a client-event workload).
    package var sendsClientEvents = false
    /// Where the connection stands in the spread over several servers: its rank among its
    /// channel's connections of the same role plus the channel index, so each channel's connections
    /// go round robin over the servers (starting one further per channel, which keeps the servers'
    /// shares equal) and every channel has subscribers on every server.
    package var spreadIndex = 0

    /// Workload after workload: its checked subscribers first (round robin over its channels, so
    /// the first `channels` are one per channel), then its churning presence members, then one delta
    /// reference subscriber per channel.
    package static func plans(for scenario: Scenario, key: String, secret: String) -> [ConnectionPlan] {
        let authenticator = ChannelAuthenticator(key: key, secret: secret)
        var plans: [ConnectionPlan] = []
        for (index, workload) in scenario.workloads.enumerated() {
            let users = workload.name.map { "\($0)-" } ?? ""
            func plan(
                channel: Int,
                rank: Int,
                checked: Bool,
                user: String,
                deltaRole: DeltaRole?
            ) -> ConnectionPlan {
                let data =
                    workload.channelKind == .presence
                    ? SubscriptionRequest.presenceChannelData(userID: users + user) : nil
                let request = SubscriptionRequest(
                    channel: scenario.channelName(channel, workload: index),
                    kind: workload.channelKind,
                    channelData: data,
                    authenticator: authenticator,
                    delta: deltaRole == .decoder ? workload.delta : nil,
                    deltaAlgorithm: workload.deltaAlgorithm
                )
                return ConnectionPlan(
                    request: request,
                    workload: index,
                    channelIndex: channel,
                    checked: checked,
                    deltaRole: deltaRole,
                    spreadIndex: rank + channel
                )
            }
            let subscriberRole: DeltaRole? = workload.delta == nil ? nil : .decoder
            for subscriber in 0..<workload.subscribers {
                var subscriberPlan = plan(
                    channel: workload.channelIndex(ofSubscriber: subscriber),
                    rank: subscriber / workload.channels,
                    checked: true,
                    user: "user-\(subscriber)",
                    deltaRole: subscriberRole
                )
                subscriberPlan.sendsClientEvents = workload.clientEvents != nil && subscriber < workload.channels
                plans.append(subscriberPlan)
            }
            for churner in 0..<(workload.presenceChurn?.connections ?? 0) {
                plans.append(
                    plan(
                        channel: churner % workload.channels,
                        rank: churner / workload.channels,
                        checked: false,
                        user: "churn-\(churner)",
                        deltaRole: nil
                    )
                )
            }
            for channel in 0..<workload.referenceSubscribers {
                plans.append(
                    plan(channel: channel, rank: 0, checked: false, user: "reference-\(channel)", deltaRole: .reference)
                )
            }
        }
        return plans
    }

    /// The index of workload `index`'s first plan in ``plans(for:key:secret:)``.
    package static func firstPlan(ofWorkload index: Int, in scenario: Scenario) -> Int {
        scenario.workloads[..<index].reduce(0) { $0 + $1.totalConnections }
    }
}
