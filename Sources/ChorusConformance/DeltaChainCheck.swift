import ChorusClient
import ChorusProtocol
import NIOCore
import NIOHTTP1
import NIOPosix

/// Checks a server's delta compression from outside: one subscriber without deltas, one that
/// enables them per connection and one per subscription; one batch of events of about 1 KB, each
/// a small change of the one before, to one channel. Every message the delta subscribers rebuild
/// must equal, byte for byte, what the plain subscriber received, and at least half must arrive as
/// deltas. The case-file step `verify_delta_chain` runs it.
package enum DeltaChainCheck {
    /// The most events one `batch_events` request carries.
    package static let maximumEvents = 10

    package static func verify(target: ConformanceTarget, channel: String, events: Int) async throws(StepFailure) {
        do {
            try await run(target: target, channel: channel, events: events)
        } catch let failure as StepFailure {
            throw failure
        } catch {
            throw StepFailure("delta chain: \(error)")
        }
    }

    private static func run(target: ConformanceTarget, channel: String, events count: Int) async throws {
        let connector = WebSocketConnector(host: target.webSocketHost, port: target.webSocketPort)
        let path = WebSocketConnector.pusherPath(key: target.app.key)
        var sessions: [WebSocketSession] = []
        defer {
            let opened = sessions
            Task { for session in opened { await session.close() } }
        }
        for mode in ["plain", "connection", "subscription"] {
            let session = try await WebSocketSession.open(
                connector: connector,
                path: path,
                on: MultiThreadedEventLoopGroup.singleton
            )
            sessions.append(session)
            _ = try await text(session)
            if mode == "connection" {
                try await session.send(
                    text: PusherMessage(event: PusherEventName.enableDeltaCompression, data: [:]).jsonText
                )
                let reply = try PusherMessage(parsing: try await text(session))
                guard reply.event == PusherEventName.deltaCompressionEnabled else {
                    throw StepFailure("expected pusher:delta_compression_enabled, got \(reply.event)")
                }
            }
            var data: [String: JSONValue] = ["channel": .string(channel)]
            if mode == "subscription" { data["delta"] = true }
            try await session.send(text: PusherMessage(event: PusherEventName.subscribe, data: .object(data)).jsonText)
            let reply = try PusherMessage(parsing: try await text(session))
            guard reply.event == PusherEventName.subscriptionSucceeded else {
                throw StepFailure("subscribing \(mode): expected subscription_succeeded, got \(reply.jsonText)")
            }
        }
        let client = PusherHTTPClient(
            host: target.host,
            port: target.port,
            key: target.app.key,
            secret: target.app.secret
        )
        let events: [JSONValue] = (0..<count).map { number in
            ["name": "readings", "channel": .string(channel), "data": .string(payload(number))]
        }
        let response = try await client.triggerBatch(appID: target.app.id, events: events)
        await client.shutdown()
        guard response.status == .ok else { throw StepFailure("batch_events answered \(response.status.code)") }

        var expected: [[UInt8]] = []
        for _ in 0..<count { expected.append(try await text(sessions[0])) }
        for (index, session) in sessions.enumerated().dropFirst() {
            var decoder = DeltaDecoder()
            for number in 0..<count {
                let outcome = decoder.receive(try await text(session))
                guard outcome == .message(expected[number]) else {
                    throw StepFailure("subscriber \(index), event \(number): rebuilt message differs from the full one")
                }
            }
            guard decoder.deltasApplied * 2 >= count else {
                throw StepFailure(
                    "subscriber \(index): only \(decoder.deltasApplied) of \(count) events came as deltas"
                )
            }
        }
    }

    /// About 1 KB of readings; event `number` changes two of them.
    package static func payload(_ number: Int) -> String {
        let readings = (0..<16).map { sensor in
            #"{"sensor":"bay-\#(sensor)","celsius":\#(sensor % 8 == number % 8 ? 20 + number : 20 + sensor).5,"status":"ok"}"#
        }
        return #"{"seq":\#(number),"readings":["# + readings.joined(separator: ",") + "]}"
    }

    private static func text(_ session: WebSocketSession) async throws -> [UInt8] {
        guard case .text(let text) = try await session.next(timeout: .seconds(5)) else {
            throw StepFailure("expected a text frame")
        }
        return Array(text.utf8)
    }
}
