import ChorusCore
import ChorusProtocol
import ChorusServer
import NIOCore

/// Client messages through an open session. Joins are accepted (presence members added, nothing
/// cached), so subscribe, client-event, sign-in and delta paths all get past the directory.
enum PusherMessageFuzz {
    static func run(_ bytes: [UInt8]) {
        var machine = OpenSession.make()
        // Several messages per input, one per line, as a client sends them in a row.
        for message in bytes.split(separator: 0x0A) {
            for action in machine.textReceived(message, now: .now()) {
                guard case .join(let join) = action else { continue }
                let outcome = ChannelDirectory.Join(
                    isFirstSubscriber: true,
                    memberAdded: join.member != nil,
                    roster: join.member.map { [$0] } ?? [],
                    cached: nil,
                    subscriptionCount: 1,
                    presenceVersion: 1
                )
                let joined = machine.joined(join, outcome: outcome)
                precondition(machine.subscriptions[join.channel.rawValue] != nil, "a join was not recorded")
                precondition(!joined.isEmpty, "a join was not confirmed")
            }
        }
        precondition(machine.subscriptions.count <= OpenSession.app.configuration.maxSubscriptionsPerConnection)
    }
}
