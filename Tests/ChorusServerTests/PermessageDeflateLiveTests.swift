import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOPosix
import Testing

/// permessage-deflate end to end on loopback: ChorusClient offering it as browsers do, against a
/// live server that compresses big broadcasts once.
@Suite("permessage-deflate, live")
struct PermessageDeflateLiveTests {
    static let big = String(repeating: #"{"bid":1.08412,"ask":1.08415,"size":1250000}"#, count: 50)

    @Test("a client offering deflate gets big events compressed and reads them back whole; small ones too")
    func bigAndSmallEvents() async throws {
        try await TestServer.with { server in
            var connector = server.connector
            connector.extensionOffer = WebSocketConnector.deflateOffer
            let socket = try await PusherSocket.connect(
                connector: connector,
                key: server.app.key,
                on: MultiThreadedEventLoopGroup.singleton
            )
            try await socket.subscribe(channel: "book")
            try await socket.expect("pusher_internal:subscription_succeeded")
            let http = server.httpClient()
            _ = try await http.trigger(appID: server.app.id, name: "snapshot", channels: ["book"], data: Self.big)
            _ = try await http.trigger(appID: server.app.id, name: "tick", channels: ["book"], data: "1")
            let snapshot = try await socket.next()
            #expect(snapshot.event == "snapshot" && snapshot.data?.stringValue == Self.big)
            #expect(try await socket.next().event == "tick")
            await socket.close()
            await http.shutdown()
        }
    }
}
