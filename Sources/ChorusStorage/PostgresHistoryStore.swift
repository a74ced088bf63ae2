public import ChorusHistory
public import Logging
import PostgresNIO

/// The production history store: a PostgreSQL database that several Chorus nodes may share,
/// through postgres-nio's `PostgresClient` (a connection pool on NIO).
///
/// Serials stay gapless and ordered per channel across nodes because every append transaction
/// advances the channel's counter row with `INSERT … ON CONFLICT DO UPDATE … RETURNING`: the row
/// stays locked until COMMIT, so another node's append on the same channel waits and then numbers
/// from the committed value, and a rolled-back transaction gives its numbers back. Counter rows
/// are locked in (app, channel) order, so two nodes' multi-channel batches cannot deadlock.
///
/// Appends are group-committed (``GroupCommitter``): each transaction carries every append queued
/// while the previous one committed, as two statements whatever its size (the counters, then all
/// messages through `unnest` arrays), so the round trips and the WAL flush are shared by the batch.
/// Durability is PostgreSQL's: with the default `synchronous_commit = on`, COMMIT returns after
/// the WAL is flushed, and only then does a caller resume.
public final class PostgresHistoryStore: HistoryStore {
    let client: PostgresClient
    let logger: Logger
    private let running: RunningPostgresClient
    private let appends: GroupCommitter<[RetainedPublish], [Int64]>

    /// Connects to `url` (`postgres://user[:password]@host[:port]/database`) and applies the
    /// pending schema migrations.
    public init(url: String, logger: Logger) async throws(HistoryStoreError) {
        let running: RunningPostgresClient
        do {
            running = try await RunningPostgresClient.open(url: url, logger: logger) {
                try await Self.migrate($0, logger: logger)
            }
        } catch {
            switch error {
            case .invalidURL: throw HistoryStoreError(PostgresClient.Configuration.storageURLShape)
            case .migration(let error):
                throw HistoryStoreError("migrating the PostgreSQL history store: \(String(reflecting: error))")
            }
        }
        let client = running.client
        self.client = client
        self.logger = logger
        self.running = running
        appends = GroupCommitter { batch in
            try await Self.insert(batch, client: client, logger: logger)
        }
    }

    public func append(_ publishes: [RetainedPublish]) async throws(HistoryStoreError) -> [Int64] {
        guard !publishes.isEmpty else { return [] }
        return try await HistoryStoreError.wrapping("append") {
            try await appends.submit(publishes)
        }
    }

    public func trim(appID: String, maxMessages: Int, olderThanMs: Int64) async throws(HistoryStoreError) -> Int {
        try await HistoryStoreError.wrapping("trim") {
            let rows = try await client.query(
                """
                WITH gone AS (
                    DELETE FROM chorus_messages m USING chorus_channels c
                    WHERE c.id = m.channel_id AND c.app = \(appID)
                        AND (m.history_serial <= c.last_serial - \(maxMessages) OR m.published_at_ms < \(olderThanMs))
                    RETURNING 1
                )
                SELECT count(*) FROM gone
                """,
                logger: logger
            )
            var removed = 0
            for try await count in rows.decode(Int.self) {
                removed = count
            }
            return removed
        }
    }

    public func close() async {
        await appends.close()
        await running.stop()
    }

    /// One group commit: the channels' counters (in lock order), then every message in one insert.
    private static func insert(
        _ batch: [[RetainedPublish]],
        client: PostgresClient,
        logger: Logger
    ) async throws -> [[Int64]] {
        var counts: [ChannelRef: Int64] = [:]
        for publishes in batch {
            for publish in publishes {
                counts[publish.channel, default: 0] += 1
            }
        }
        let channels = counts.keys.sorted { ($0.appID, $0.channel) < ($1.appID, $1.channel) }
        let apps = channels.map(\.appID)
        let names = channels.map(\.channel)
        let amounts = channels.map { counts[$0] ?? 0 }
        return try await client.withTransaction(logger: logger) { connection in
            let counters = try await connection.query(
                """
                INSERT INTO chorus_channels (app, channel, last_serial)
                SELECT app, channel, amount FROM unnest(\(apps)::text[], \(names)::text[], \(amounts)::bigint[])
                    AS t(app, channel, amount)
                ORDER BY app, channel
                ON CONFLICT (app, channel) DO UPDATE SET last_serial = chorus_channels.last_serial + excluded.last_serial
                RETURNING id, app, channel, last_serial
                """,
                logger: logger
            )
            var next: [ChannelRef: (id: Int64, serial: Int64)] = [:]
            for try await (id, app, channel, last) in counters.decode((Int64, String, String, Int64).self) {
                let ref = ChannelRef(appID: app, channel: channel)
                next[ref] = (id, last - (counts[ref] ?? 0) + 1)
            }
            var channelIDs: [Int64] = []
            var historySerials: [Int64] = []
            var messageSerials: [String] = []
            var publishedAt: [Int64] = []
            var eventNames: [String] = []
            var data: [String] = []
            let serials = batch.map { publishes in
                publishes.map { publish in
                    let position = next[publish.channel] ?? (0, 0)
                    next[publish.channel]?.serial += 1
                    channelIDs.append(position.id)
                    historySerials.append(position.serial)
                    messageSerials.append(publish.messageSerial)
                    publishedAt.append(publish.publishedAtMs)
                    eventNames.append(publish.name)
                    data.append(publish.data)
                    return position.serial
                }
            }
            try await connection.query(
                """
                INSERT INTO chorus_messages (channel_id, history_serial, message_serial, published_at_ms, name, data,
                    action, version_number, version_serial, version_timestamp_ms)
                SELECT channel_id, history_serial, message_serial, published_at_ms, name, data,
                    'create', 1, message_serial, published_at_ms
                FROM unnest(\(channelIDs)::bigint[], \(historySerials)::bigint[], \(messageSerials)::text[],
                    \(publishedAt)::bigint[], \(eventNames)::text[], \(data)::text[])
                    AS t(channel_id, history_serial, message_serial, published_at_ms, name, data)
                """,
                logger: logger
            )
            return serials
        }
    }
}
