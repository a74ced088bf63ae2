public import ChorusHistory
import GRDB

/// The embedded history store: one SQLite file in WAL mode, through GRDB.
///
/// Why GRDB rather than sqlite-nio: GRDB runs every write on one serial writer queue with
/// synchronous, cached prepared statements, so a group commit is a tight loop of `sqlite3_step`
/// calls inside one transaction (no event-loop hop or future per row), while readers use their own
/// WAL connections in parallel with the writer. sqlite-nio would add a future and a thread hop per
/// statement for nothing: SQLite is synchronous anyway. See `results/history/storage-throughput.md`.
///
/// Appends go through a ``GroupCommitter``: concurrent ``append(_:)`` calls share one transaction
/// (one commit, one fsync) on GRDB's writer queue, never on a NIO event loop, and each caller
/// resumes after COMMIT. Mutations, annotations and trims are single transactions on the same
/// writer, so they serialise with the appends.
///
/// Durability (``Durability``): by default `synchronous = FULL`, which fsyncs the WAL at every
/// commit, so an acknowledged append survives a `kill -9` and also a power cut or kernel crash.
/// ``Durability/processCrash`` (`NORMAL`) is enough for `kill -9` alone in WAL mode (COMMIT returns
/// once its frames are written to the WAL with `write(2)`, into the kernel's page cache, which
/// outlives the process) and fsyncs only at checkpoints. The group commit pays the fsync once per
/// batch: measured with 64 concurrent callers on this machine, FULL and NORMAL are within noise of
/// each other (the writer is CPU-bound: under `perf`, a third of the append path is SQLite, 15 %
/// writing WAL frames, 7 % fdatasync; see `results/history/storage-throughput.md`), so the default
/// takes the stronger guarantee.
public final class SQLiteHistoryStore: HistoryStore {
    let pool: DatabasePool
    private let appends: GroupCommitter<[RetainedPublish], [Int64]>

    /// What an acknowledged write survives (`storage.sqlite_synchronous`: `full` or `normal`).
    public enum Durability: String, Sendable, Hashable, Codable, CaseIterable {
        /// The process's death (`kill -9`, a crash): `PRAGMA synchronous = NORMAL`.
        case processCrash = "normal"
        /// Also a power cut or kernel crash: `PRAGMA synchronous = FULL`, an fsync per commit.
        case powerLoss = "full"
    }

    /// Opens (creating it and its directory if needed) the database at `path` and brings its
    /// schema up to date.
    public init(path: String, durability: Durability = .powerLoss) throws(HistoryStoreError) {
        do {
            let pool = try DatabasePool.opening(path: path, durability: durability, migrator: Self.migrator)
            self.pool = pool
            appends = GroupCommitter { batch in
                try await pool.write { db in try Self.insert(batch, db) }
            }
        } catch {
            throw HistoryStoreError("opening the SQLite history store at \(path): \(error)")
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
            try await pool.write { db in
                try db.execute(
                    sql: """
                        DELETE FROM chorus_messages WHERE rowid IN (
                            SELECT m.rowid FROM chorus_messages m JOIN chorus_channels c ON c.id = m.channel_id
                            WHERE c.app = ? AND (m.history_serial <= c.last_serial - ? OR m.published_at_ms < ?))
                        """,
                    arguments: [appID, maxMessages, olderThanMs]
                )
                return db.changesCount
            }
        }
    }

    public func close() async {
        await appends.close()
        try? pool.close()
    }

    /// One group commit: advances each channel's counter once by its count in the batch, then
    /// inserts the messages in the order given, numbering them from the counter's old value.
    private static func insert(_ batch: [[RetainedPublish]], _ db: Database) throws -> [[Int64]] {
        var counts: [ChannelRef: Int64] = [:]
        for publishes in batch {
            for publish in publishes {
                counts[publish.channel, default: 0] += 1
            }
        }
        let counter = try db.cachedStatement(
            sql: """
                INSERT INTO chorus_channels (app, channel, last_serial) VALUES (?, ?, ?)
                ON CONFLICT (app, channel) DO UPDATE SET last_serial = last_serial + excluded.last_serial
                RETURNING id, last_serial
                """
        )
        var next: [ChannelRef: (id: Int64, serial: Int64)] = [:]
        for (channel, count) in counts {
            guard let row = try Row.fetchOne(counter, arguments: [channel.appID, channel.channel, count]) else {
                throw HistoryStoreError("the channel counter returned no row")
            }
            let last: Int64 = row[1]
            next[channel] = (row[0], last - count + 1)
        }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO chorus_messages (channel_id, history_serial, message_serial, published_at_ms, name, data,
                    action, version_number, version_serial, version_timestamp_ms)
                VALUES (?, ?, ?, ?, ?, ?, 'create', 1, ?, ?)
                """
        )
        return try batch.map { publishes in
            try publishes.map { publish in
                let position = next[publish.channel] ?? (0, 0)
                next[publish.channel]?.serial += 1
                // Unchecked: the values match the statement's eight parameters by construction.
                insert.setUncheckedArguments([
                    position.id, position.serial, publish.messageSerial, publish.publishedAtMs, publish.name,
                    publish.data, publish.messageSerial, publish.publishedAtMs,
                ])
                try insert.execute()
                return position.serial
            }
        }
    }
}
