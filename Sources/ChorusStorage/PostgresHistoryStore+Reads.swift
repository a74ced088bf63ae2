public import ChorusHistory
import Logging
import PostgresNIO

extension PostgresHistoryStore {
    public func history(_ request: HistoryPageRequest) async throws(HistoryStoreError) -> HistoryPage {
        try await HistoryStoreError.wrapping("history") {
            let bounds = PageBounds(request)
            let time = request.timeBounds
            let channel = request.channel
            // One statement, one snapshot: the page and `oldestRetained` agree.
            let rows = try await client.query(
                """
                WITH ch AS (SELECT id FROM chorus_channels WHERE app = \(channel.appID) AND channel = \(channel.channel))
                SELECT (SELECT min(history_serial) FROM chorus_messages WHERE channel_id = (SELECT id FROM ch)),
                    \(unescaped: StoredMessage.storageColumns)
                FROM chorus_messages
                WHERE channel_id = (SELECT id FROM ch) AND history_serial BETWEEN \(bounds.lowest) AND \(bounds.highest)
                    AND published_at_ms BETWEEN \(time.earliest) AND \(time.latest)
                ORDER BY history_serial \(unescaped: bounds.order) LIMIT \(bounds.fetchLimit)
                """,
                logger: logger
            )
            var items: [StoredMessage] = []
            var oldest: Int64?
            for try await row in rows {
                let columns = row.makeRandomAccess()
                oldest = try columns[0].decode(Int64?.self)
                items.append(try StoredMessage(postgres: columns, from: 1, channel: channel))
            }
            if items.isEmpty {
                // An empty page still reports where the channel's retained history starts.
                oldest = try await oldestRetained(channel)
            }
            let page = bounds.page(items)
            return HistoryPage(items: page.items, hasMore: page.hasMore, oldestRetained: oldest)
        }
    }

    public func message(_ channel: ChannelRef, serial: String) async throws(HistoryStoreError) -> StoredMessage? {
        try await HistoryStoreError.wrapping("message") {
            try await client.withConnection { connection in
                try await Self.latest(channel, serial, locking: false, connection, logger: logger)?.message
            }
        }
    }

    public func versions(
        _ channel: ChannelRef,
        messageSerial: String,
        page: VersionPageRequest
    ) async throws(HistoryStoreError) -> VersionPage? {
        try await HistoryStoreError.wrapping("versions") {
            try await client.withConnection { connection in
                guard
                    let (channelID, latest) = try await Self.latest(
                        channel,
                        messageSerial,
                        locking: false,
                        connection,
                        logger: logger
                    )
                else { return nil }
                let bounds = PageBounds(page)
                // Never mutated: its one version is the create, still the latest state.
                guard latest.versionNumber > 1 else {
                    let items = bounds.lowest <= 1 && 1 <= bounds.highest ? [latest] : []
                    return VersionPage(items: bounds.page(items).items, hasMore: false)
                }
                let rows = try await connection.query(
                    """
                    SELECT \(unescaped: StoredMessage.storageVersionColumns)
                    FROM chorus_versions v JOIN chorus_messages m USING (channel_id, message_serial)
                    WHERE v.channel_id = \(channelID) AND v.message_serial = \(messageSerial)
                        AND v.version_number BETWEEN \(bounds.lowest) AND \(bounds.highest)
                    ORDER BY v.version_number \(unescaped: bounds.order) LIMIT \(bounds.fetchLimit)
                    """,
                    logger: logger
                )
                var items: [StoredMessage] = []
                for try await row in rows {
                    items.append(try StoredMessage(postgres: row.makeRandomAccess(), channel: channel))
                }
                let versions = bounds.page(items)
                return VersionPage(items: versions.items, hasMore: versions.hasMore)
            }
        }
    }

    private func oldestRetained(_ channel: ChannelRef) async throws -> Int64? {
        let rows = try await client.query(
            """
            SELECT min(m.history_serial) FROM chorus_messages m JOIN chorus_channels c ON c.id = m.channel_id
            WHERE c.app = \(channel.appID) AND c.channel = \(channel.channel)
            """,
            logger: logger
        )
        var oldest: Int64?
        for try await value in rows.decode(Int64?.self) {
            oldest = value
        }
        return oldest
    }

    /// A message's latest state with its channel's id; nil when there is no such message.
    /// `locking` holds the row (`FOR UPDATE`) until the transaction ends, so concurrent mutations
    /// of one message, from any node, apply one after the other.
    static func latest(
        _ channel: ChannelRef,
        _ messageSerial: String,
        locking: Bool,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> (channelID: Int64, message: StoredMessage)? {
        let rows = try await connection.query(
            """
            SELECT m.channel_id, \(unescaped: StoredMessage.storageColumns)
            FROM chorus_messages m JOIN chorus_channels c ON c.id = m.channel_id
            WHERE c.app = \(channel.appID) AND c.channel = \(channel.channel) AND m.message_serial = \(messageSerial)
            \(unescaped: locking ? "FOR UPDATE OF m" : "")
            """,
            logger: logger
        )
        for try await row in rows {
            let columns = row.makeRandomAccess()
            return (try columns[0].decode(Int64.self), try StoredMessage(postgres: columns, from: 1, channel: channel))
        }
        return nil
    }

    /// One version of a message (the create included once it was copied there).
    static func version(
        _ channel: ChannelRef,
        channelID: Int64,
        messageSerial: String,
        number: Int,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> StoredMessage? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: StoredMessage.storageVersionColumns)
            FROM chorus_versions v JOIN chorus_messages m USING (channel_id, message_serial)
            WHERE v.channel_id = \(channelID) AND v.message_serial = \(messageSerial) AND v.version_number = \(number)
            """,
            logger: logger
        )
        for try await row in rows {
            return try StoredMessage(postgres: row.makeRandomAccess(), channel: channel)
        }
        return nil
    }

}
