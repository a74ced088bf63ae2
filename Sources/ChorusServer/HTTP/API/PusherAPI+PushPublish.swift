import ChorusProtocol
import ChorusPush
import Logging
import NIOHTTP1

extension PusherAPI {
    /// `POST …/push/publish`: stores the publish with its resolved recipients, then answers 202
    /// `{publish_id, status, expected_recipients}` and dispatches. `sync: true` waits up to 10 s and
    /// answers 200 with the status once every recipient is terminal (202 with it otherwise). The
    /// same `idempotency_key` and body within 24 h answers the first publish again and sends
    /// nothing; the key with another body is a 400.
    func publishPush(_ call: Call) throws(PushRequestError) -> HTTPReply {
        let request = try PublishRequest(body: try json(call))
        let publish = request.publish(
            appID: call.app.id,
            publishID: PushService.newPublishID(),
            nowMs: PushService.nowMs()
        )
        let push = server.push
        let logger = server.logger
        return pushReply { () async throws(PushStoreError) -> HTTPResponse in
            let admitted: PushPublish
            let planned: Int
            switch try await push.store.admit(
                publish,
                idempotencySinceMs: publish.createdAtMs - PushService.idempotencyWindowMs
            ) {
            case .conflict:
                return APIError(
                    PushRequestError(
                        .idempotencyConflict,
                        "idempotency_key \(publish.idempotencyKey ?? "") was used with another body in the last 24 hours"
                    )
                ).response
            case .duplicate(let earlier, let count):
                admitted = earlier
                planned = count
            case .accepted(let count):
                admitted = publish
                planned = count
                logger.info(
                    "push publish accepted",
                    metadata: [
                        "app_id": .string(publish.appID), "publish_id": .string(publish.publishID),
                        "expected_recipients": .stringConvertible(count),
                    ]
                )
                push.dispatcher.enqueue(PublishRef(appID: publish.appID, publishID: publish.publishID))
            }
            let ref = PublishRef(appID: admitted.appID, publishID: admitted.publishID)
            guard request.sync else {
                let body: JSONValue = [
                    "publish_id": .string(admitted.publishID),
                    "status": "accepted",
                    "expected_recipients": .integer(Int64(planned)),
                ]
                return .json(.accepted, body.jsonText)
            }
            await push.waitForDispatch(ref)
            guard let status = try await push.store.status(appID: ref.appID, publishID: ref.publishID) else {
                return APIError.publishNotFound(ref.publishID).response
            }
            return .json(status.state.isTerminal ? .ok : .accepted, status.json.jsonText)
        }
    }

    /// `GET …/push/publish/{id}/status`.
    func publishStatus(_ publishID: String, _ call: Call) -> HTTPReply {
        let store = server.push.store
        let appID = call.app.id
        return pushReply { () async throws(PushStoreError) -> HTTPResponse in
            guard let status = try await store.status(appID: appID, publishID: publishID) else {
                return APIError.publishNotFound(publishID).response
            }
            return .json(.ok, status.json.jsonText)
        }
    }
}

extension APIError {
    static func publishNotFound(_ publishID: String) -> APIError {
        .notFound("No push publish \(publishID)", code: "publish_not_found")
    }
}
