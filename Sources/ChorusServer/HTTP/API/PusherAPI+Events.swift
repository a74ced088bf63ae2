import ChorusCore
import ChorusHistory
import ChorusProtocol
import NIOCore
import NIOHTTP1
import Prometheus

extension PusherAPI {
    /// `POST /apps/{id}/events`: `{}`, or `{"channels":{…}}` when `info` asks for counts or
    /// `message_serial`. On channels that keep history the event is fanned out first, and answered
    /// once the store has committed it. A 429 `quota_exceeded` once the app's daily message quota
    /// is used up (see ``chargeQuota(for:_:)``).
    func publishEvent(_ call: Call) throws(APIError) -> HTTPReply {
        guard server.acceptsPublishes else { throw .clusterUnavailable }
        let event = try EventRequest(json: call.json(), app: call.app)
        var channels: [String: [String: JSONValue]] = [:]
        if !event.info.isEmpty {
            let now = NIODeadline.now()
            for channel in event.channels {
                let snapshot = server.directory.snapshot(ChannelKey(appID: call.app.id, channel: channel), now: now)
                channels[channel] = event.info.members(of: channel, snapshot: snapshot, now: now)
            }
        }
        let answer = { @Sendable (channels: [String: [String: JSONValue]]) -> HTTPResponse in
            let body: JSONValue = event.info.isEmpty ? [:] : ["channels": .object(channels.mapValues { .object($0) })]
            return HTTPResponse.json(.ok, body.jsonText)
        }
        let response = answer(channels)
        let counts = channels
        if let key = event.idempotencyKey,
            let first = server.idempotency.claim(key, appID: call.app.id, response: response, now: .now())
        {
            return .now(first)
        }
        let forget = forgetting([event.idempotencyKey].compactMap { $0 }, call)
        if let refusal = chargeQuota(for: [event], call) {
            forget()
            return .now(refusal.response)
        }
        let retained = retainedPublishes(of: [event], call)
        let relayed = publish([event], call, kind: call.viaConsole ? .console : .trigger)
        guard !retained.isEmpty else { return HTTPReply.now(response).afterRelay(relayed, failed: forget) }
        return appending(retained, idempotencyKey: event.idempotencyKey, call) { serials in
            guard event.info.contains(.messageSerial) else { return response }
            var channels = counts
            for (publish, historySerial) in serials {
                channels[publish.channel, default: [:]].merge(
                    Self.serialMembers(publish, historySerial),
                    uniquingKeysWith: { $1 }
                )
            }
            return answer(channels)
        }
        .afterRelay(relayed, failed: forget)
    }

    /// `POST /apps/{id}/batch_events`: every event is validated before any is published; then they
    /// are published in order. `{}`, or `{"batch":[…]}` aligned with the request when any event asks
    /// for `info`. Events on channels that keep history are answered once the store committed them.
    /// The batch counts against the daily quota as a whole: all of it is published, or none.
    func publishBatch(_ call: Call) throws(APIError) -> HTTPReply {
        guard server.acceptsPublishes else { throw .clusterUnavailable }
        guard let items = try call.json()["batch"]?.arrayValue else {
            throw .badRequest("Invalid request: the body must be {\"batch\": [events]}", code: "missing_batch")
        }
        guard !items.isEmpty else { throw .badRequest("The batch holds no event", code: "empty_batch") }
        guard items.count <= call.app.maxEventBatchSize else {
            throw .badRequest(
                "A batch may hold at most \(call.app.maxEventBatchSize) events; got \(items.count)",
                code: "batch_too_large"
            )
        }
        var events: [EventRequest] = []
        for (index, item) in items.enumerated() {
            do throws(APIError) {
                events.append(try EventRequest(json: item, app: call.app))
            } catch {
                var error = error
                error.message = "batch[\(index)]: \(error.message)"
                throw error
            }
        }
        let validated = events
        let fresh = validated.indices.filter { index in
            guard let key = validated[index].idempotencyKey else { return true }
            return server.idempotency.claim(key, appID: call.app.id, response: .json(.ok, "{}"), now: .now()) == nil
        }
        let forget = forgetting(fresh.compactMap { validated[$0].idempotencyKey }, call)
        if let refusal = chargeQuota(for: fresh.map { validated[$0] }, call) {
            forget()
            return .now(refusal.response)
        }
        let retained = retainedPublishes(of: fresh.map { validated[$0] }, call)
        let relayed = publish(fresh.map { validated[$0] }, call, kind: .batch)
        let now = NIODeadline.now()
        let counts: [[String: JSONValue]] = validated.map { event in
            guard !event.info.isEmpty, let channel = event.channels.first else { return [:] }
            let snapshot = server.directory.snapshot(ChannelKey(appID: call.app.id, channel: channel), now: now)
            return event.info.members(of: channel, snapshot: snapshot, now: now)
        }
        let answer = { @Sendable (answers: [[String: JSONValue]]) -> HTTPResponse in
            guard validated.contains(where: { !$0.info.isEmpty }) else { return .json(.ok, "{}") }
            return .json(.ok, JSONValue.object(["batch": .array(answers.map { .object($0) })]).jsonText)
        }
        guard !retained.isEmpty else { return HTTPReply.now(answer(counts)).afterRelay(relayed, failed: forget) }
        return appending(retained, idempotencyKey: nil, call) { serials in
            var answers = counts
            for (publish, historySerial) in serials {
                let index = fresh[publish.eventIndex]
                let event = validated[index]
                guard event.info.contains(.messageSerial), publish.channel == event.channels.first
                else { continue }
                answers[index].merge(Self.serialMembers(publish, historySerial), uniquingKeysWith: { $1 })
            }
            return answer(answers)
        }
        .afterRelay(relayed, failed: forget)
    }

    /// Forgets the first answers to `keys`: their publish failed, so a retry must publish again.
    private func forgetting(_ keys: [String], _ call: Call) -> @Sendable () -> Void {
        let idempotency = server.idempotency
        let appID = call.app.id
        return { for key in keys { idempotency.settle(key, appID: appID, response: nil) } }
    }

    /// Hands `events` to the engine (or the cluster) in order; runs of events with the same
    /// excluded connection go together, so they reach each subscriber in one write. Returns what
    /// the cluster's relay of them will tell (see ``ServerContext/publish(_:app:excludingSocketID:kind:)``).
    private func publish(_ events: [EventRequest], _ call: Call, kind: ConsoleEntry.Kind) -> [EventLoopFuture<Void>] {
        var run: [EventPublisher.Event] = []
        var runExcluding: String?
        var relayed: [EventLoopFuture<Void>] = []
        for event in events {
            if !run.isEmpty, event.socketID != runExcluding {
                if let relay = server.publish(run, app: call.app, excludingSocketID: runExcluding, kind: kind) {
                    relayed.append(relay)
                }
                run.removeAll()
            }
            runExcluding = event.socketID
            run.append(
                EventPublisher.Event(
                    name: event.name,
                    channels: event.channels,
                    data: .string(event.data),
                    tags: event.tags,
                    delta: event.delta
                )
            )
            server.metrics.apiEventsPublished.increment(by: Int64(event.channels.count))
        }
        if !run.isEmpty {
            if let relay = server.publish(run, app: call.app, excludingSocketID: runExcluding, kind: kind) {
                relayed.append(relay)
            }
        }
        server.metrics.publishToEnqueue.record(.nanoseconds((NIODeadline.now() - call.receivedAt).nanoseconds))
        return relayed
    }
}
