public import ChorusHistory
import GRDB

extension SQLiteHistoryStore {
    public func addAnnotation(_ event: AnnotationEvent) async throws(HistoryStoreError) -> Bool {
        try await HistoryStoreError.wrapping("addAnnotation") {
            try await pool.write { db in
                guard let (channelID, _) = try Self.latest(event.channel, event.messageSerial, db) else {
                    return false
                }
                try Self.insert(event, channelID: channelID, db)
                return true
            }
        }
    }

    public func deleteAnnotation(_ event: AnnotationEvent) async throws(HistoryStoreError) -> AnnotationDeletion {
        try await HistoryStoreError.wrapping("deleteAnnotation") {
            try await pool.write { db in
                guard let (channelID, _) = try Self.latest(event.channel, event.messageSerial, db),
                    let create = try Self.annotation(
                        event,
                        channelID: channelID,
                        condition: "serial = ? AND action = 'annotation.create'",
                        db
                    )
                else { return .notFound }
                if let earlier = try Self.annotation(
                    event,
                    channelID: channelID,
                    condition: "annotation_serial = ? AND action = 'annotation.delete' ORDER BY serial LIMIT 1",
                    db
                ) {
                    return .alreadyDeleted(earlier)
                }
                let deletion = event.completingDelete(of: create)
                try Self.insert(deletion, channelID: channelID, db)
                return .deleted(deletion)
            }
        }
    }

    public func annotationEvents(_ query: AnnotationQuery) async throws(HistoryStoreError) -> [AnnotationEvent]? {
        try await HistoryStoreError.wrapping("annotationEvents") {
            try await pool.read { db in
                guard let (channelID, _) = try Self.latest(query.channel, query.messageSerial, db) else {
                    return nil
                }
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(AnnotationEvent.storageColumns) FROM chorus_annotations
                        WHERE channel_id = ?1 AND message_serial = ?2 AND serial > ?3
                            AND (?4 IS NULL OR type = ?4) AND (?5 IS NULL OR client_id = ?5)
                        ORDER BY serial LIMIT ?6
                        """,
                    arguments: [
                        channelID, query.messageSerial, query.afterSerial ?? "", query.type, query.clientID,
                        max(query.limit, 0),
                    ]
                )
                return try rows.map { row in
                    try AnnotationEvent(sqlite: row, channel: query.channel, messageSerial: query.messageSerial)
                }
            }
        }
    }

    /// The event of `event`'s message whose `annotation_serial`/`serial` is `event.annotationSerial`
    /// and which meets `condition` (SQL with one `?` for that serial).
    private static func annotation(
        _ event: AnnotationEvent,
        channelID: Int64,
        condition: String,
        _ db: Database
    ) throws -> AnnotationEvent? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT \(AnnotationEvent.storageColumns) FROM chorus_annotations
                WHERE channel_id = ? AND message_serial = ? AND \(condition)
                """,
            arguments: [channelID, event.messageSerial, event.annotationSerial]
        ).map { row in try AnnotationEvent(sqlite: row, channel: event.channel, messageSerial: event.messageSerial) }
    }

    private static func insert(_ event: AnnotationEvent, channelID: Int64, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO chorus_annotations (channel_id, message_serial, serial, action, annotation_serial, type,
                    name, client_id, count, data, timestamp_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                channelID, event.messageSerial, event.serial, event.action.rawValue, event.annotationSerial,
                event.type, event.name, event.clientID, event.count, event.data, event.timestampMs,
            ]
        )
    }
}
