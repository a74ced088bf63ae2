import ChorusProtocol
import Testing

@Suite("Protocol 2 naming (sockudo: prefixes)")
struct ProtocolDialectTests {
    @Test("protocol 2 is Sockudo's naming, every other version Pusher's")
    func dialectOfVersion() {
        #expect(ProtocolDialect(protocolVersion: 2) == .sockudo)
        for version in [1, 3, 5, 6, 7] { #expect(ProtocolDialect(protocolVersion: version) == .pusher) }
    }

    @Test(
        "outgoing: pusher: and pusher_internal: become sockudo: and sockudo_internal:; other names stay",
        arguments: [
            ("pusher:connection_established", "sockudo:connection_established"),
            ("pusher_internal:member_added", "sockudo_internal:member_added"),
            ("pusher:delta", "sockudo:delta"),
            ("client-typing", "client-typing"),
            ("price-update", "price-update"),
            ("sockudo:message.update", "sockudo:message.update"),
            ("pusherless:event", "pusherless:event"),
        ]
    )
    func outgoing(pusher: String, sockudo: String) {
        #expect(ProtocolDialect.sockudo.outgoing(pusher) == sockudo)
        #expect(ProtocolDialect.pusher.outgoing(pusher) == pusher)
    }

    @Test("incoming: a protocol 2 client may use either prefix; a Pusher client's names are left alone")
    func incoming() {
        #expect(ProtocolDialect.sockudo.incoming("sockudo:subscribe") == "pusher:subscribe")
        #expect(ProtocolDialect.sockudo.incoming("sockudo_internal:x") == "pusher_internal:x")
        #expect(ProtocolDialect.sockudo.incoming("pusher:subscribe") == "pusher:subscribe")
        #expect(ProtocolDialect.sockudo.incoming("client-a") == "client-a")
        #expect(ProtocolDialect.pusher.incoming("sockudo:subscribe") == "sockudo:subscribe")
    }

    @Test("a message renamed for protocol 2 keeps its channel, data and user")
    func renamedMessage() {
        let message = PusherMessage.memberRemoved(channel: "presence-a", userID: "u1")
        let renamed = message.named(for: .sockudo)
        #expect(renamed.event == "sockudo_internal:member_removed")
        #expect(renamed.channel == message.channel && renamed.data == message.data)
        #expect(message.named(for: .pusher) == message)
    }

    @Test("sockudo: and sockudo_internal: names are reserved like pusher: ones")
    func reserved() {
        for name in ["pusher:x", "pusher_internal:x", "sockudo:x", "sockudo_internal:x"] {
            #expect(PusherEventName.isReserved(name))
        }
        #expect(!PusherEventName.isReserved("sockudo-x"))
    }
}
