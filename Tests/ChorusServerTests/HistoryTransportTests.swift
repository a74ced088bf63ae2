import ChorusServer
import ChorusTesting
import Testing

@Suite("History: replies that wait for the store, on one connection")
struct HistoryTransportTests {
    @Test("pipelined requests behind a publish waiting for the store are answered after it, in order")
    func pipelining() async throws {
        let store = FaultyHistoryStore()
        try await TestServer.withHistory(store: store) { server, _ in
            let body = #"{"name":"e","channel":"hist-a","data":"d","info":"message_serial"}"#
            let auth = "Authorization: Bearer \(server.app.secret)\r\nHost: x\r\n"
            let requests =
                "POST /apps/1/events HTTP/1.1\r\n\(auth)Content-Type: application/json\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
                + "GET /apps/1/channels HTTP/1.1\r\n\(auth)\r\n"
                + "GET /apps/1/channels/hist-a/history HTTP/1.1\r\n\(auth)\r\n"
            store.hold()
            try await RawHTTPConnection.with(port: server.port) { connection in
                try await connection.send(requests)
                var arrivals = store.arrived.makeAsyncIterator()
                _ = await arrivals.next()
                store.open()
                let responses = try await connection.receive(responses: 3)
                try #require(responses.count == 3)
                #expect(responses[0].hasPrefix("HTTP/1.1 200"))
                #expect(responses[0].contains(#""history_serial":1"#))
                #expect(responses[1].contains(#"{"channels":{}}"#))
                #expect(responses[2].contains(#""serial":1"#))
            }
        }
    }
}
