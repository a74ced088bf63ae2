/// How many deliveries the server owes: every accepted event times the checked subscribers of
/// its channel (less the sender, for client events).
package struct DeliveryLedger: Sendable {
    private let receiversPerChannel: [Int]
    private(set) var expected: Int64 = 0

    package init(subscribedPerChannel: [Int], sendersReceive: Bool) {
        receiversPerChannel = subscribedPerChannel.map { sendersReceive ? $0 : max(0, $0 - 1) }
    }

    package mutating func add(_ outcome: PublishOutcome) {
        for (channel, accepted) in outcome.acceptedPerChannel.enumerated() {
            expected += Int64(accepted) * Int64(receiversPerChannel[channel])
        }
    }
}
