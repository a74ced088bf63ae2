import ChorusHistory
import GRDB
import PostgresNIO

extension AnnotationEvent {
    /// The columns ``init(sqlite:channel:messageSerial:)`` reads, in order (the same in PostgreSQL).
    static let storageColumns =
        "serial, action, annotation_serial, type, name, client_id, count, data, timestamp_ms"

    init(sqlite row: Row, channel: ChannelRef, messageSerial: String) throws {
        self.init(
            serial: row[0],
            channel: channel,
            messageSerial: messageSerial,
            action: try Self.action(row[1]),
            annotationSerial: row[2],
            type: row[3],
            name: row[4],
            clientID: row[5],
            count: row[6],
            data: row[7],
            timestampMs: row[8]
        )
    }

    init(postgres row: PostgresRandomAccessRow, channel: ChannelRef, messageSerial: String) throws {
        self.init(
            serial: try row[0].decode(String.self),
            channel: channel,
            messageSerial: messageSerial,
            action: try Self.action(row[1].decode(String.self)),
            annotationSerial: try row[2].decode(String.self),
            type: try row[3].decode(String.self),
            name: try row[4].decode(String?.self),
            clientID: try row[5].decode(String?.self),
            count: try row[6].decode(Int?.self),
            data: try row[7].decode(String?.self),
            timestampMs: try row[8].decode(Int64.self)
        )
    }

    private static func action(_ text: String) throws -> Action {
        guard let action = Action(rawValue: text) else {
            throw HistoryStoreError("unknown annotation action \(text) in the database")
        }
        return action
    }

    /// This delete request as the store records it: what it removes (type, name, client, count)
    /// copied from the annotation's create, so replaying the log needs no lookup.
    func completingDelete(of create: AnnotationEvent) -> AnnotationEvent {
        var deletion = self
        deletion.action = .delete
        deletion.type = create.type
        deletion.name = create.name
        deletion.clientID = create.clientID
        deletion.count = create.count
        return deletion
    }
}
