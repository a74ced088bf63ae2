import ChorusCore
import ChorusHistory
import ChorusProtocol
import Logging
import NIOHTTP1

extension PusherAPI {
    /// `POST …/messages/{serial}/annotations`: `{"annotationSerial"}`; then the type's summary
    /// goes to the channel's subscribers as `sockudo:message.summary`.
    func annotate(_ serial: String, channel: String, _ call: Call) throws(APIError) -> HTTPReply {
        let ref = try historyChannel(channel, call)
        let json = try call.json()
        let request: AnnotationRequest
        do throws(HistoryRequestError) {
            request = try AnnotationRequest(json: json)
        } catch {
            throw APIError(error)
        }
        try checkSize(of: request.data, call)
        let (annotationSerial, timestampMs) = server.history.serials.next()
        let event = request.event(
            serial: annotationSerial,
            channel: ref,
            messageSerial: serial,
            timestampMs: timestampMs
        )
        let summaries = summaryPublisher(call, excludingSocketID: request.socketID)
        let store = server.history.store
        return storeReply { () async throws(HistoryStoreError) -> HTTPResponse in
            guard try await store.addAnnotation(event) else { return APIError.messageNotFound(serial).response }
            await summaries(event)
            let body: JSONValue = ["annotationSerial": .string(annotationSerial)]
            return .json(.ok, body.jsonText)
        }
    }

    /// `DELETE …/messages/{serial}/annotations/{annotation}?socket_id`: appends the delete (once;
    /// a repeat answers the first delete again) and sends the type's new summary.
    func deleteAnnotation(
        _ annotation: String,
        of serial: String,
        channel: String,
        _ call: Call
    ) throws(APIError) -> HTTPReply {
        let ref = try historyChannel(channel, call)
        let (deleteSerial, timestampMs) = server.history.serials.next()
        let event = AnnotationEvent(
            serial: deleteSerial,
            channel: ref,
            messageSerial: serial,
            action: .delete,
            annotationSerial: annotation,
            type: "",
            timestampMs: timestampMs
        )
        let summaries = summaryPublisher(call, excludingSocketID: call.parameter("socket_id"))
        let store = server.history.store
        return storeReply { () async throws(HistoryStoreError) -> HTTPResponse in
            let deletion: AnnotationEvent
            switch try await store.deleteAnnotation(event) {
            case .deleted(let completed):
                await summaries(completed)
                deletion = completed
            case .alreadyDeleted(let earlier):
                deletion = earlier
            case .notFound:
                return APIError.notFound(
                    "No annotation \(annotation) on message \(serial)",
                    code: "annotation_not_found"
                ).response
            }
            let body: JSONValue = [
                "annotationSerial": .string(deletion.serial),
                "deletedAnnotationSerial": .string(annotation),
            ]
            return .json(.ok, body.jsonText)
        }
    }

    /// `GET …/messages/{serial}/annotations?type&client_id&from_serial&limit`: the log in serial
    /// order strictly after `from_serial`, and the summary of every type (or of `type`), never
    /// filtered by client.
    func listAnnotations(_ serial: String, channel: String, _ call: Call) throws(APIError) -> HTTPReply {
        let ref = try historyChannel(channel, call)
        let limit: Int
        let type = call.parameter("type").flatMap { $0.isEmpty ? nil : $0 }
        do throws(HistoryRequestError) {
            limit = try PageQuery(parameters: call.query, maxPageSize: call.app.history.maxPageSize).limit
            if let type, AnnotationType(type) == nil {
                throw HistoryRequestError(.invalidAnnotationType, "type must be 'namespace:summarizer.v1'")
            }
        } catch {
            throw APIError(error)
        }
        let query = AnnotationQuery(
            channel: ref,
            messageSerial: serial,
            afterSerial: call.parameter("from_serial").flatMap { $0.isEmpty ? nil : $0 },
            type: type,
            clientID: call.parameter("client_id") ?? call.parameter("clientId"),
            limit: limit + 1
        )
        let store = server.history.store
        return storeReply { () async throws(HistoryStoreError) -> HTTPResponse in
            guard let events = try await store.annotationEvents(query) else {
                return APIError.messageNotFound(serial).response
            }
            let all = AnnotationQuery(channel: ref, messageSerial: serial, type: type, limit: Int.max)
            let log = try await store.annotationEvents(all) ?? []
            let page = events.prefix(limit)
            let hasMore = events.count > limit
            let body: JSONValue = [
                "channel": .string(channel),
                "messageSerial": .string(serial),
                "limit": .integer(Int64(limit)),
                "hasMore": .bool(hasMore),
                "nextCursor": hasMore ? page.last.map { .string($0.serial) } ?? .null : .null,
                "items": .array(page.map(\.listItem)),
                "summary": .object(AnnotationSummary.summaries(of: log)),
            ]
            return .json(.ok, body.jsonText)
        }
    }

    /// Sends the summary of a changed annotation type of a message to the channel's subscribers:
    /// `sockudo:message.summary` with `{"action":"message.summary","serial","annotations":{"summary":{type:S}}}`.
    /// A failure to read the log only loses the live summary (the change itself was committed).
    private func summaryPublisher(
        _ call: Call,
        excludingSocketID: String?
    ) -> @Sendable (AnnotationEvent) async -> Void {
        let store = server.history.store
        let server = server
        let logger = server.logger
        let app = call.app
        return { changed in
            let query = AnnotationQuery(
                channel: changed.channel,
                messageSerial: changed.messageSerial,
                type: changed.type,
                limit: Int.max
            )
            guard let log = try? await store.annotationEvents(query) ?? [],
                let type = AnnotationType(changed.type)
            else {
                logger.warning("no live summary: the annotation log could not be read")
                return
            }
            let summary = AnnotationSummary.summary(of: log, summarizer: type.summarizer)
            let data: JSONValue = [
                "action": "message.summary",
                "serial": .string(changed.messageSerial),
                "annotations": ["summary": .object([changed.type: summary])],
            ]
            let event = EventPublisher.Event(
                name: "sockudo:message.summary",
                channels: [changed.channel.channel],
                data: .string(data.jsonText),
                delta: false
            )
            server.publish([event], app: app, excludingSocketID: excludingSocketID, kind: .history)
        }
    }
}
