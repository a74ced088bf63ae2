public import ChorusHistory
import Logging
import PostgresNIO

extension PostgresHistoryStore {
    public func addAnnotation(_ event: AnnotationEvent) async throws(HistoryStoreError) -> Bool {
        try await HistoryStoreError.wrapping("addAnnotation") {
            // A plain insert of the message's key: the foreign key says whether the message exists
            // (and holds it against a concurrent trim) without a separate read.
            let rows = try await client.query(
                """
                INSERT INTO chorus_annotations (channel_id, message_serial, serial, action, annotation_serial, type,
                    name, client_id, count, data, timestamp_ms)
                SELECT m.channel_id, m.message_serial, \(event.serial), \(event.action.rawValue),
                    \(event.annotationSerial), \(event.type), \(event.name), \(event.clientID), \(event.count),
                    \(event.data), \(event.timestampMs)
                FROM chorus_messages m JOIN chorus_channels c ON c.id = m.channel_id
                WHERE c.app = \(event.channel.appID) AND c.channel = \(event.channel.channel)
                    AND m.message_serial = \(event.messageSerial)
                RETURNING 1
                """,
                logger: logger
            )
            var inserted = false
            for try await _ in rows {
                inserted = true
            }
            return inserted
        }
    }

    public func deleteAnnotation(_ event: AnnotationEvent) async throws(HistoryStoreError) -> AnnotationDeletion {
        try await HistoryStoreError.wrapping("deleteAnnotation") {
            try await client.withTransaction(logger: logger) { connection in
                guard
                    let (channelID, _) = try await Self.latest(
                        event.channel,
                        event.messageSerial,
                        locking: false,
                        connection,
                        logger: logger
                    ),
                    // Locking the create serialises concurrent deletes of one annotation: the
                    // second sees the first's event and answers `alreadyDeleted`.
                    let create = try await Self.annotation(
                        event,
                        channelID: channelID,
                        column: "serial",
                        action: .create,
                        suffix: "FOR UPDATE",
                        connection,
                        logger: logger
                    )
                else { return .notFound }
                if let earlier = try await Self.annotation(
                    event,
                    channelID: channelID,
                    column: "annotation_serial",
                    action: .delete,
                    suffix: "ORDER BY serial LIMIT 1",
                    connection,
                    logger: logger
                ) {
                    return .alreadyDeleted(earlier)
                }
                let deletion = event.completingDelete(of: create)
                try await connection.query(
                    """
                    INSERT INTO chorus_annotations (channel_id, message_serial, serial, action, annotation_serial, type,
                        name, client_id, count, data, timestamp_ms)
                    VALUES (\(channelID), \(deletion.messageSerial), \(deletion.serial), \(deletion.action.rawValue),
                        \(deletion.annotationSerial), \(deletion.type), \(deletion.name), \(deletion.clientID),
                        \(deletion.count), \(deletion.data), \(deletion.timestampMs))
                    """,
                    logger: logger
                )
                return .deleted(deletion)
            }
        }
    }

    public func annotationEvents(_ query: AnnotationQuery) async throws(HistoryStoreError) -> [AnnotationEvent]? {
        try await HistoryStoreError.wrapping("annotationEvents") {
            try await client.withConnection { connection in
                guard
                    let (channelID, _) = try await Self.latest(
                        query.channel,
                        query.messageSerial,
                        locking: false,
                        connection,
                        logger: logger
                    )
                else { return nil }
                let rows = try await connection.query(
                    """
                    SELECT \(unescaped: AnnotationEvent.storageColumns) FROM chorus_annotations
                    WHERE channel_id = \(channelID) AND message_serial = \(query.messageSerial)
                        AND serial > \(query.afterSerial ?? "")
                        AND (\(query.type)::text IS NULL OR type = \(query.type))
                        AND (\(query.clientID)::text IS NULL OR client_id = \(query.clientID))
                    ORDER BY serial LIMIT \(max(query.limit, 0))
                    """,
                    logger: logger
                )
                var events: [AnnotationEvent] = []
                for try await row in rows {
                    events.append(
                        try AnnotationEvent(
                            postgres: row.makeRandomAccess(),
                            channel: query.channel,
                            messageSerial: query.messageSerial
                        )
                    )
                }
                return events
            }
        }
    }

    /// The `action` event of `event`'s message whose `column` is `event.annotationSerial`; `suffix`
    /// ends the statement (ordering, locking).
    private static func annotation(
        _ event: AnnotationEvent,
        channelID: Int64,
        column: String,
        action: AnnotationEvent.Action,
        suffix: String,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> AnnotationEvent? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: AnnotationEvent.storageColumns) FROM chorus_annotations
            WHERE channel_id = \(channelID) AND message_serial = \(event.messageSerial)
                AND \(unescaped: column) = \(event.annotationSerial) AND action = \(action.rawValue)
            \(unescaped: suffix)
            """,
            logger: logger
        )
        for try await row in rows {
            return try AnnotationEvent(
                postgres: row.makeRandomAccess(),
                channel: event.channel,
                messageSerial: event.messageSerial
            )
        }
        return nil
    }
}
