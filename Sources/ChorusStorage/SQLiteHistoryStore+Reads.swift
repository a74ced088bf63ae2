public import ChorusHistory
import GRDB

extension SQLiteHistoryStore {
    public func history(_ request: HistoryPageRequest) async throws(HistoryStoreError) -> HistoryPage {
        try await HistoryStoreError.wrapping("history") {
            // One read transaction: the page and `oldestRetained` come from the same snapshot.
            try await pool.read { db in
                guard let channelID = try Self.channelID(request.channel, db) else {
                    return HistoryPage(items: [], hasMore: false, oldestRetained: nil)
                }
                let bounds = PageBounds(request)
                let time = request.timeBounds
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(StoredMessage.storageColumns) FROM chorus_messages
                        WHERE channel_id = ? AND history_serial BETWEEN ? AND ? AND published_at_ms BETWEEN ? AND ?
                        ORDER BY history_serial \(bounds.order) LIMIT ?
                        """,
                    arguments: [
                        channelID, bounds.lowest, bounds.highest, time.earliest, time.latest, bounds.fetchLimit,
                    ]
                )
                let page = bounds.page(try rows.map { row in try StoredMessage(sqlite: row, channel: request.channel) })
                let oldest = try Int64.fetchOne(
                    db,
                    sql: "SELECT MIN(history_serial) FROM chorus_messages WHERE channel_id = ?",
                    arguments: [channelID]
                )
                return HistoryPage(items: page.items, hasMore: page.hasMore, oldestRetained: oldest)
            }
        }
    }

    public func message(_ channel: ChannelRef, serial: String) async throws(HistoryStoreError) -> StoredMessage? {
        try await HistoryStoreError.wrapping("message") {
            try await pool.read { db in try Self.latest(channel, serial, db)?.message }
        }
    }

    public func versions(
        _ channel: ChannelRef,
        messageSerial: String,
        page: VersionPageRequest
    ) async throws(HistoryStoreError) -> VersionPage? {
        try await HistoryStoreError.wrapping("versions") {
            try await pool.read { db in
                guard let (channelID, latest) = try Self.latest(channel, messageSerial, db) else { return nil }
                let bounds = PageBounds(page)
                // Never mutated: its one version is the create, still the latest state.
                guard latest.versionNumber > 1 else {
                    let items = bounds.lowest <= 1 && 1 <= bounds.highest ? [latest] : []
                    return VersionPage(items: bounds.page(items).items, hasMore: false)
                }
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(StoredMessage.storageVersionColumns)
                        FROM chorus_versions v JOIN chorus_messages m USING (channel_id, message_serial)
                        WHERE v.channel_id = ? AND v.message_serial = ? AND v.version_number BETWEEN ? AND ?
                        ORDER BY v.version_number \(bounds.order) LIMIT ?
                        """,
                    arguments: [channelID, messageSerial, bounds.lowest, bounds.highest, bounds.fetchLimit]
                )
                let versions = bounds.page(try rows.map { row in try StoredMessage(sqlite: row, channel: channel) })
                return VersionPage(items: versions.items, hasMore: versions.hasMore)
            }
        }
    }

    /// The channel's row id; nil when nothing was ever retained on it.
    static func channelID(_ channel: ChannelRef, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(
            db,
            sql: "SELECT id FROM chorus_channels WHERE app = ? AND channel = ?",
            arguments: [channel.appID, channel.channel]
        )
    }

    /// A message's latest state with its channel's row id; nil when there is no such message.
    static func latest(
        _ channel: ChannelRef,
        _ messageSerial: String,
        _ db: Database
    ) throws -> (channelID: Int64, message: StoredMessage)? {
        guard let channelID = try channelID(channel, db),
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT \(StoredMessage.storageColumns) FROM chorus_messages
                    WHERE channel_id = ? AND message_serial = ?
                    """,
                arguments: [channelID, messageSerial]
            )
        else { return nil }
        return (channelID, try StoredMessage(sqlite: row, channel: channel))
    }

    /// One version of a message (the create included once it was copied there).
    static func version(
        _ channel: ChannelRef,
        channelID: Int64,
        messageSerial: String,
        number: Int,
        _ db: Database
    ) throws -> StoredMessage? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT \(StoredMessage.storageVersionColumns)
                FROM chorus_versions v JOIN chorus_messages m USING (channel_id, message_serial)
                WHERE v.channel_id = ? AND v.message_serial = ? AND v.version_number = ?
                """,
            arguments: [channelID, messageSerial, number]
        ).map { row in try StoredMessage(sqlite: row, channel: channel) }
    }
}
