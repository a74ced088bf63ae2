import ChorusCore
import ChorusProtocol
import NIOCore
import NIOHTTP1
import Prometheus

extension PusherAPI {
    /// `POST /apps/{id}/events`: `{}`, or `{"channels":{…}}` when `info` asks for counts.
    func publishEvent(_ call: Call) throws(APIError) -> HTTPResponse {
        let event = try EventRequest(json: call.json(), app: call.app)
        var body: JSONValue = [:]
        if !event.info.isEmpty {
            let now = NIODeadline.now()
            var channels: [String: JSONValue] = [:]
            for channel in event.channels {
                let snapshot = server.directory.snapshot(ChannelKey(appID: call.app.id, channel: channel), now: now)
                channels[channel] = .object(event.info.members(of: channel, snapshot: snapshot, now: now))
            }
            body = ["channels": .object(channels)]
        }
        let response = HTTPResponse.json(.ok, body.jsonText)
        if let key = event.idempotencyKey,
            let first = server.idempotency.claim(key, appID: call.app.id, response: response, now: .now())
        {
            return first
        }
        publish([event], call)
        return response
    }

    /// `POST /apps/{id}/batch_events`: every event is validated before any is published; then they
    /// are published in order. `{}`, or `{"batch":[…]}` aligned with the request when any event asks
    /// for `info`.
    func publishBatch(_ call: Call) throws(APIError) -> HTTPResponse {
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
        let fresh = events.filter { event in
            guard let key = event.idempotencyKey else { return true }
            return server.idempotency.claim(key, appID: call.app.id, response: .json(.ok, "{}"), now: .now()) == nil
        }
        publish(fresh, call)
        guard events.contains(where: { !$0.info.isEmpty }) else { return .json(.ok, "{}") }
        let now = NIODeadline.now()
        let answers: [JSONValue] = events.map { event in
            guard !event.info.isEmpty, let channel = event.channels.first else { return [:] }
            let snapshot = server.directory.snapshot(ChannelKey(appID: call.app.id, channel: channel), now: now)
            return .object(event.info.members(of: channel, snapshot: snapshot, now: now))
        }
        return .json(.ok, JSONValue.object(["batch": .array(answers)]).jsonText)
    }

    /// Hands `events` to the engine in order; runs of events with the same excluded connection go
    /// together, so they reach each subscriber in one write.
    private func publish(_ events: [EventRequest], _ call: Call) {
        var run: [EventPublisher.Event] = []
        var runExcluding: SubscriberAddress?
        for event in events {
            let excluding = event.socketID.flatMap {
                server.connections.entry(socketID: $0, appID: call.app.id)?.address
            }
            if !run.isEmpty, excluding != runExcluding {
                server.publisher.publish(run, app: call.app, excluding: runExcluding)
                run.removeAll()
            }
            runExcluding = excluding
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
        if !run.isEmpty { server.publisher.publish(run, app: call.app, excluding: runExcluding) }
        server.metrics.publishToEnqueue.record(.nanoseconds((NIODeadline.now() - call.receivedAt).nanoseconds))
    }
}
