import ChorusHistory

/// Messages, mutations and annotations as the server would hand them to a store.
enum Samples {
    static func publish(_ channel: ChannelRef, _ tag: String, at publishedAtMs: Int64 = 1_000) -> RetainedPublish {
        RetainedPublish(
            channel: channel,
            messageSerial: "m-\(tag)",
            name: "chat.msg",
            data: "data-\(tag)",
            publishedAtMs: publishedAtMs
        )
    }

    /// `count` publishes tagged `prefix0`, `prefix1`, …, published at `firstMs`, +1 ms each.
    static func publishes(
        _ channel: ChannelRef,
        _ count: Int,
        prefix: String = "",
        firstMs: Int64 = 1_000
    )
        -> [RetainedPublish]
    {
        (0..<count).map { index in publish(channel, "\(prefix)\(index)", at: firstMs + Int64(index)) }
    }

    /// An update (or delete) that replaces the data, with version serial `v-N`.
    static func replace(
        _ channel: ChannelRef,
        _ messageSerial: String,
        data: String?,
        action: MessageAction = .update,
        key: String? = nil,
        fingerprint: String = "body"
    ) -> MessageMutation {
        MessageMutation(
            channel: channel,
            messageSerial: messageSerial,
            action: action,
            idempotencyKey: key,
            fingerprint: fingerprint
        ) { latest in
            let next = nextVersion(of: latest, action: action, data: data)
            return MutationEffect(latest: next, version: next)
        }
    }

    /// An append: the latest data gains `fragment`, the version carries only the fragment.
    static func append(_ channel: ChannelRef, _ messageSerial: String, fragment: String) -> MessageMutation {
        MessageMutation(
            channel: channel,
            messageSerial: messageSerial,
            action: .append,
            idempotencyKey: nil,
            fingerprint: fragment
        ) { latest in
            let latestState = nextVersion(of: latest, action: .append, data: (latest.data ?? "") + fragment)
            var version = latestState
            version.data = fragment
            return MutationEffect(latest: latestState, version: version)
        }
    }

    private static func nextVersion(of latest: StoredMessage, action: MessageAction, data: String?) -> StoredMessage {
        var next = latest
        next.action = action
        next.data = data
        next.versionNumber += 1
        next.version = MessageVersionInfo(
            serial: "v-\(next.versionNumber)",
            timestampMs: 5_000 + Int64(next.versionNumber),
            clientID: "editor",
            description: "edit \(next.versionNumber)",
            metadata: #"{"n":\#(next.versionNumber)}"#
        )
        return next
    }

    static func annotation(
        _ channel: ChannelRef,
        _ messageSerial: String,
        serial: String,
        type: String = "reactions:distinct.v1",
        name: String? = "like",
        clientID: String? = "u1",
        count: Int? = nil
    ) -> AnnotationEvent {
        AnnotationEvent(
            serial: serial,
            channel: channel,
            messageSerial: messageSerial,
            action: .create,
            annotationSerial: serial,
            type: type,
            name: name,
            clientID: clientID,
            count: count,
            data: #"{"x":1}"#,
            timestampMs: 7_000
        )
    }

    /// A delete request as the API builds it: only the serials are known.
    static func annotationDelete(
        _ channel: ChannelRef,
        _ messageSerial: String,
        serial: String,
        deleting annotationSerial: String
    ) -> AnnotationEvent {
        AnnotationEvent(
            serial: serial,
            channel: channel,
            messageSerial: messageSerial,
            action: .delete,
            annotationSerial: annotationSerial,
            type: "",
            timestampMs: 8_000
        )
    }
}

extension HistoryStore {
    /// Every retained serial of the channel, paging `limit` at a time in `direction`.
    func allSerials(_ channel: ChannelRef, direction: PageDirection, limit: Int = 100) async throws -> [Int64] {
        var serials: [Int64] = []
        var after: Int64?
        while true {
            let page = try await history(
                HistoryPageRequest(channel: channel, direction: direction, limit: limit, after: after)
            )
            serials += page.items.map(\.historySerial)
            guard page.hasMore, let last = page.items.last else { return serials }
            after = last.historySerial
        }
    }
}
