import ChorusClient
package import ChorusProtocol
import NIOCore
import NIOHTTP1
import NIOPosix

/// Checks a server's delta compression from outside: one subscriber without deltas, one that
/// enables them per connection and one per subscription; one batch of events of about 1 KB, each
/// a small change of an earlier one, to one channel. Both delta subscribers ask for one algorithm
/// (Fossil or VCDIFF); every message they rebuild must equal, byte for byte, what the plain
/// subscriber received, at least half must arrive as deltas, and every delta must be in the
/// algorithm asked for. Sockudo's confirmations (`pusher:delta_compression_enabled` per channel,
/// `pusher:delta_cache_sync`) are taken in passing.
///
/// With conflation keys (a channel the server conflates on the data's `symbol`), the batch cycles
/// through that many symbols, deltas must name their key, and then a late subscriber must get a
/// cache sync and rebuild a second batch — one event per symbol — from deltas alone. The case-file
/// step `verify_delta_chain` runs it.
package struct DeltaChainCheck {
    /// The most events one `batch_events` request carries.
    package static let maximumEvents = 10

    let target: ConformanceTarget
    let channel: String
    let algorithm: DeltaAlgorithm
    /// Symbols the events cycle through on a conflation channel; `nil` for a plain chain.
    let conflationKeys: Int?

    package static func verify(
        target: ConformanceTarget,
        channel: String,
        events: Int,
        algorithm: DeltaAlgorithm,
        conflationKeys: Int? = nil
    ) async throws(StepFailure) {
        let check = DeltaChainCheck(
            target: target,
            channel: channel,
            algorithm: algorithm,
            conflationKeys: conflationKeys
        )
        do {
            try await check.run(events: events)
        } catch let failure as StepFailure {
            throw failure
        } catch {
            throw StepFailure("delta chain: \(error)")
        }
    }

    private enum Mode: String {
        case plain, connection, subscription
    }

    private func run(events count: Int) async throws {
        var sessions: [WebSocketSession] = []
        defer {
            let opened = sessions
            Task { for session in opened { await session.close() } }
        }
        for mode in [Mode.plain, .connection, .subscription] { sessions.append(try await open(mode)) }
        try await publish((0..<count).map { payload($0) })
        let expected = try await texts(sessions[0], count)
        for (index, session) in sessions.enumerated().dropFirst() {
            var decoder = DeltaDecoder()
            try await rebuild(count, from: session, with: &decoder, expected: expected, subscriber: index)
            guard decoder.deltasApplied * 2 >= count else {
                throw StepFailure(
                    "subscriber \(index): only \(decoder.deltasApplied) of \(count) events came as deltas"
                )
            }
        }
        guard let keys = conflationKeys else { return }
        let late = try await open(.subscription)
        sessions.append(late)
        var decoder = DeltaDecoder()
        var outcome = decoder.receive(try await Self.text(late))
        while case .message = outcome, Self.isConfirmation(outcome) {
            outcome = decoder.receive(try await Self.text(late))
        }
        guard case .synced = outcome else {
            throw StepFailure("late subscriber: expected pusher:delta_cache_sync after subscribing")
        }
        try await publish((count..<(count + keys)).map { payload($0) })
        let more = try await texts(sessions[0], keys)
        try await rebuild(keys, from: late, with: &decoder, expected: more, subscriber: sessions.count - 1)
        guard decoder.deltasApplied == keys else {
            throw StepFailure(
                "late subscriber: \(decoder.deltasApplied) of \(keys) events came as deltas after the cache sync"
            )
        }
    }

    private func open(_ mode: Mode) async throws -> WebSocketSession {
        let session = try await WebSocketSession.open(
            connector: WebSocketConnector(host: target.webSocketHost, port: target.webSocketPort),
            path: WebSocketConnector.pusherPath(key: target.app.key),
            on: MultiThreadedEventLoopGroup.singleton
        )
        _ = try await Self.text(session)
        if mode == .connection {
            let offer: JSONValue = ["algorithms": [.string(algorithm.rawValue)]]
            try await session.send(
                text: PusherMessage(event: PusherEventName.enableDeltaCompression, data: offer).jsonText
            )
            let reply = try PusherMessage(parsing: try await Self.text(session))
            guard reply.event == PusherEventName.deltaCompressionEnabled,
                reply.dataObject?["algorithm"]?.stringValue == algorithm.rawValue
            else {
                throw StepFailure(
                    "expected pusher:delta_compression_enabled with \(algorithm.rawValue), got \(reply.jsonText)"
                )
            }
        }
        var data: [String: JSONValue] = ["channel": .string(channel)]
        if mode == .subscription { data["delta"] = ["enabled": true, "algorithm": .string(algorithm.rawValue)] }
        try await session.send(text: PusherMessage(event: PusherEventName.subscribe, data: .object(data)).jsonText)
        let reply = try PusherMessage(parsing: try await Self.text(session))
        guard reply.event == PusherEventName.subscriptionSucceeded else {
            throw StepFailure("subscribing \(mode.rawValue): expected subscription_succeeded, got \(reply.jsonText)")
        }
        return session
    }

    private func publish(_ payloads: [String]) async throws {
        let client = PusherHTTPClient(
            host: target.host,
            port: target.port,
            key: target.app.key,
            secret: target.app.secret
        )
        let events: [JSONValue] = payloads.map {
            ["name": "readings", "channel": .string(channel), "data": .string($0)]
        }
        let response = try await client.triggerBatch(appID: target.app.id, events: events)
        await client.shutdown()
        guard response.status == .ok else { throw StepFailure("batch_events answered \(response.status.code)") }
    }

    private func texts(_ session: WebSocketSession, _ count: Int) async throws -> [[UInt8]] {
        var texts: [[UInt8]] = []
        for _ in 0..<count { texts.append(try await Self.text(session)) }
        return texts
    }

    /// Reads `count` events from `session` through `decoder`, each equal to `expected`.
    private func rebuild(
        _ count: Int,
        from session: WebSocketSession,
        with decoder: inout DeltaDecoder,
        expected: [[UInt8]],
        subscriber index: Int
    ) async throws {
        for number in 0..<count {
            var frame = try await Self.text(session)
            var outcome = decoder.receive(frame)
            while Self.isConfirmation(outcome) {
                frame = try await Self.text(session)
                outcome = decoder.receive(frame)
            }
            if let delta = (try? PusherMessage(parsing: frame)).flatMap(DeltaMessage.init) {
                guard delta.algorithm == algorithm.rawValue else {
                    throw StepFailure(
                        "subscriber \(index), event \(number): a \(delta.algorithm) delta, asked for \(algorithm.rawValue)"
                    )
                }
                if conflationKeys != nil, delta.conflationKey == nil {
                    throw StepFailure("subscriber \(index), event \(number): a delta without its conflation_key")
                }
            }
            guard outcome == .message(expected[number]) else {
                throw StepFailure("subscriber \(index), event \(number): rebuilt message differs from the full one")
            }
        }
    }

    /// About 1 KB of readings; event `number` changes two of them. On a conflation channel each
    /// event belongs to symbol `number % keys` and changes its previous event of that symbol.
    package func payload(_ number: Int) -> String {
        let symbol = conflationKeys.map { #""symbol":"S\#(number % $0)","# } ?? ""
        let round = conflationKeys.map { number / $0 } ?? number
        let readings = (0..<16).map { sensor in
            #"{"sensor":"bay-\#(sensor)","celsius":\#(sensor % 8 == round % 8 ? 20 + round : 20 + sensor).5,"status":"ok"}"#
        }
        return #"{\#(symbol)"seq":\#(round),"readings":["# + readings.joined(separator: ",") + "]}"
    }

    /// Whether `outcome` is a confirmation rather than an event: a cache sync, or Sockudo's
    /// channel-scoped `pusher:delta_compression_enabled`.
    private static func isConfirmation(_ outcome: DeltaDecoder.Outcome) -> Bool {
        switch outcome {
        case .synced: return true
        case .message(let text):
            return (try? PusherMessage(parsing: text))?.event == PusherEventName.deltaCompressionEnabled
        case .syncError: return false
        }
    }

    private static func text(_ session: WebSocketSession) async throws -> [UInt8] {
        guard case .text(let text) = try await session.next(timeout: .seconds(5)) else {
            throw StepFailure("expected a text frame")
        }
        return Array(text.utf8)
    }
}
