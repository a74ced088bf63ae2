import ChorusHistory
import GRDB
import PostgresNIO

extension StoredMessage {
    /// The columns the decoders below read, in order, from `chorus_messages` (in both databases).
    static let storageColumns = """
        history_serial, message_serial, published_at_ms, name, data, action, version_number, version_serial,
        version_timestamp_ms, version_client_id, version_description, version_metadata
        """

    /// The same columns for a row of `chorus_versions v` joined with its message `m`.
    static let storageVersionColumns = """
        m.history_serial, v.message_serial, m.published_at_ms, v.name, v.data, v.action, v.version_number,
        v.version_serial, v.version_timestamp_ms, v.version_client_id, v.version_description, v.version_metadata
        """

    init(sqlite row: Row, channel: ChannelRef) throws {
        self.init(
            channel: channel,
            messageSerial: row[1],
            historySerial: row[0],
            publishedAtMs: row[2],
            name: row[3],
            data: row[4],
            action: try Self.action(row[5]),
            versionNumber: row[6],
            version: MessageVersionInfo(
                serial: row[7],
                timestampMs: row[8],
                clientID: row[9],
                description: row[10],
                metadata: row[11]
            )
        )
    }

    /// Decodes ``storageColumns`` from `row`, starting at column `offset`.
    init(postgres row: PostgresRandomAccessRow, from offset: Int = 0, channel: ChannelRef) throws {
        self.init(
            channel: channel,
            messageSerial: try row[offset + 1].decode(String.self),
            historySerial: try row[offset].decode(Int64.self),
            publishedAtMs: try row[offset + 2].decode(Int64.self),
            name: try row[offset + 3].decode(String?.self),
            data: try row[offset + 4].decode(String?.self),
            action: try Self.action(row[offset + 5].decode(String.self)),
            versionNumber: try row[offset + 6].decode(Int.self),
            version: MessageVersionInfo(
                serial: try row[offset + 7].decode(String.self),
                timestampMs: try row[offset + 8].decode(Int64.self),
                clientID: try row[offset + 9].decode(String?.self),
                description: try row[offset + 10].decode(String?.self),
                metadata: try row[offset + 11].decode(String?.self)
            )
        )
    }

    private static func action(_ text: String) throws -> MessageAction {
        guard let action = MessageAction(rawValue: text) else {
            throw HistoryStoreError("unknown message action \(text) in the database")
        }
        return action
    }
}
