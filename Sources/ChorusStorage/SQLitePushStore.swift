import ChorusProtocol
public import ChorusPush
import GRDB

/// The embedded push store: one SQLite file in WAL mode, through GRDB, like ``SQLiteHistoryStore``.
///
/// Every method is one transaction on GRDB's serial writer queue (reads use their own WAL
/// connections), so admissions, outcomes and registrations serialise and each applies whole or not
/// at all. Durability is the history store's setting (``SQLiteHistoryStore/Durability``): by
/// default an fsync per commit, so an admitted publish survives a power cut. ``PushStoreFactory``
/// gives it a file of its own beside the history's, so the push writer never waits for the
/// history's group commit (two writers on one file would take turns on its lock).
public final class SQLitePushStore: PushStore {
    let pool: DatabasePool

    /// Opens (creating it and its directory if needed) the database at `path` and brings its push
    /// schema up to date.
    public init(path: String, durability: SQLiteHistoryStore.Durability = .powerLoss) throws(PushStoreError) {
        do {
            let pool = try DatabasePool.opening(path: path, durability: durability, migrator: Self.migrator)
            self.pool = pool
        } catch {
            throw PushStoreError("opening the SQLite push store at \(path): \(error)")
        }
    }

    static let deviceColumns = "app, device_id, platform, token, client_id, metadata, updated_at_ms"

    public func register(_ device: DeviceRegistration) async throws(PushStoreError) -> RegistrationChange {
        try await PushStoreError.wrapping("register") {
            try await pool.write { db in
                let old = try Row.fetchOne(
                    db,
                    sql: "SELECT \(Self.deviceColumns) FROM chorus_push_devices WHERE app = ? AND device_id = ?",
                    arguments: [device.appID, device.deviceID]
                )
                if let old, try Self.device(old).registersSame(as: device) { return .unchanged }
                try db.execute(
                    sql: """
                        INSERT INTO chorus_push_devices (\(Self.deviceColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (app, device_id) DO UPDATE SET platform = excluded.platform,
                            token = excluded.token, client_id = excluded.client_id, metadata = excluded.metadata,
                            updated_at_ms = excluded.updated_at_ms
                        """,
                    arguments: [
                        device.appID, device.deviceID, device.platform.rawValue, device.token.storedText,
                        device.clientID, device.metadata?.jsonText, device.updatedAtMs,
                    ]
                )
                return old == nil ? .created : .updated
            }
        }
    }

    public func device(appID: String, deviceID: String) async throws(PushStoreError) -> DeviceRegistration? {
        try await PushStoreError.wrapping("device") {
            try await pool.read { db in
                try Row.fetchOne(
                    db,
                    sql: "SELECT \(Self.deviceColumns) FROM chorus_push_devices WHERE app = ? AND device_id = ?",
                    arguments: [appID, deviceID]
                ).map(Self.device)
            }
        }
    }

    public func devices(
        appID: String,
        clientID: String?,
        after: String?,
        limit: Int
    ) async throws(PushStoreError) -> [DeviceRegistration] {
        try await PushStoreError.wrapping("devices") {
            try await pool.read { db in
                let client = clientID == nil ? "" : "AND client_id = ?"
                let arguments: StatementArguments =
                    clientID.map { [appID, after ?? "", $0, limit] } ?? [appID, after ?? "", limit]
                return try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(Self.deviceColumns) FROM chorus_push_devices WHERE app = ? AND device_id > ? \(client)
                        ORDER BY device_id LIMIT ?
                        """,
                    arguments: arguments
                ).map(Self.device)
            }
        }
    }

    public func deleteDevice(appID: String, deviceID: String) async throws(PushStoreError) -> Bool {
        try await PushStoreError.wrapping("deleteDevice") {
            try await pool.write { db in try Self.deleteDevice(appID: appID, deviceID: deviceID, db) }
        }
    }

    public func deleteDevices(appID: String, clientID: String) async throws(PushStoreError) -> Int {
        try await PushStoreError.wrapping("deleteDevices") {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        DELETE FROM chorus_push_subscriptions WHERE app = ? AND device_id IN (
                            SELECT device_id FROM chorus_push_devices WHERE app = ? AND client_id = ?)
                        """,
                    arguments: [appID, appID, clientID]
                )
                try db.execute(
                    sql: "DELETE FROM chorus_push_devices WHERE app = ? AND client_id = ?",
                    arguments: [appID, clientID]
                )
                return db.changesCount
            }
        }
    }

    public func subscribe(_ subscription: ChannelSubscription) async throws(PushStoreError) -> Bool {
        try await PushStoreError.wrapping("subscribe") {
            try await pool.write { db in
                let deviceID = subscription.deviceID ?? ""
                if !deviceID.isEmpty {
                    let registered = try Bool.fetchOne(
                        db,
                        sql: "SELECT EXISTS (SELECT 1 FROM chorus_push_devices WHERE app = ? AND device_id = ?)",
                        arguments: [subscription.appID, deviceID]
                    )
                    guard registered == true else { return false }
                }
                try db.execute(
                    sql: """
                        INSERT INTO chorus_push_subscriptions (app, channel, device_id, client_id) VALUES (?, ?, ?, ?)
                        ON CONFLICT DO NOTHING
                        """,
                    arguments: [subscription.appID, subscription.channel, deviceID, subscription.clientID ?? ""]
                )
                return true
            }
        }
    }

    public func subscriptions(
        _ filter: SubscriptionFilter,
        after: ChannelSubscription?,
        limit: Int
    ) async throws(PushStoreError) -> [ChannelSubscription] {
        try await PushStoreError.wrapping("subscriptions") {
            try await pool.read { db in
                var (sql, arguments) = Self.matching(filter)
                if let after {
                    sql += " AND (channel, device_id, client_id) > (?, ?, ?)"
                    arguments += [after.channel, after.deviceID ?? "", after.clientID ?? ""]
                }
                arguments += [limit]
                return try Row.fetchAll(
                    db,
                    sql: "SELECT channel, device_id, client_id FROM chorus_push_subscriptions WHERE \(sql) "
                        + "ORDER BY channel, device_id, client_id LIMIT ?",
                    arguments: arguments
                ).map { row in
                    let deviceID: String = row[1]
                    let clientID: String = row[2]
                    return ChannelSubscription(
                        appID: filter.appID,
                        channel: row[0],
                        deviceID: deviceID.isEmpty ? nil : deviceID,
                        clientID: clientID.isEmpty ? nil : clientID
                    )
                }
            }
        }
    }

    public func unsubscribe(_ filter: SubscriptionFilter) async throws(PushStoreError) -> Int {
        try await PushStoreError.wrapping("unsubscribe") {
            try await pool.write { db in
                let (sql, arguments) = Self.matching(filter)
                try db.execute(sql: "DELETE FROM chorus_push_subscriptions WHERE \(sql)", arguments: arguments)
                return db.changesCount
            }
        }
    }

    public func subscribedChannels(
        appID: String,
        after: String?,
        limit: Int
    ) async throws(PushStoreError) -> [String] {
        try await PushStoreError.wrapping("subscribedChannels") {
            try await pool.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT channel FROM chorus_push_subscriptions WHERE app = ? AND channel > ?
                        ORDER BY channel LIMIT ?
                        """,
                    arguments: [appID, after ?? "", limit]
                )
            }
        }
    }

    public func putCredential(
        appID: String,
        credential: PushCredential,
        atMs: Int64
    ) async throws(PushStoreError) -> StoredCredential {
        try await PushStoreError.wrapping("putCredential") {
            try await pool.write { db in
                let provider = credential.provider.rawValue
                let latest = try Int.fetchOne(
                    db,
                    sql: "SELECT max(version) FROM chorus_push_credentials WHERE app = ? AND provider = ?",
                    arguments: [appID, provider]
                )
                let stored = StoredCredential(
                    appID: appID,
                    credential: credential,
                    version: (latest ?? 0) + 1,
                    updatedAtMs: atMs
                )
                try db.execute(
                    sql: """
                        INSERT INTO chorus_push_credentials (app, provider, version, credential, updated_at_ms)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [appID, provider, stored.version, credential.storedJSON.jsonText, atMs]
                )
                return stored
            }
        }
    }

    public func credentials(appID: String) async throws(PushStoreError) -> [StoredCredential] {
        try await PushStoreError.wrapping("credentials") {
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT provider, version, credential, updated_at_ms FROM chorus_push_credentials c
                        WHERE app = ? AND version = (SELECT max(version) FROM chorus_push_credentials
                            WHERE app = c.app AND provider = c.provider)
                        ORDER BY provider
                        """,
                    arguments: [appID]
                ).map { row throws(PushStoreError) in
                    try PushColumns.credential(
                        appID: appID,
                        provider: row[0],
                        version: row[1],
                        credential: row[2],
                        updatedAtMs: row[3]
                    )
                }
            }
        }
    }

    public func close() async {
        try? pool.close()
    }

    /// The device of a row of ``deviceColumns``.
    static func device(_ row: Row) throws(PushStoreError) -> DeviceRegistration {
        try PushColumns.device(
            appID: row[0],
            deviceID: row[1],
            platform: row[2],
            token: row[3],
            clientID: row[4],
            metadata: row[5],
            updatedAtMs: row[6]
        )
    }

    /// Removes the device and its subscriptions in the caller's transaction; whether it was there.
    static func deleteDevice(appID: String, deviceID: String, _ db: Database) throws -> Bool {
        try db.execute(
            sql: "DELETE FROM chorus_push_devices WHERE app = ? AND device_id = ?",
            arguments: [appID, deviceID]
        )
        let deleted = db.changesCount > 0
        try db.execute(
            sql: "DELETE FROM chorus_push_subscriptions WHERE app = ? AND device_id = ?",
            arguments: [appID, deviceID]
        )
        return deleted
    }

    /// The WHERE clause of the subscriptions a filter matches, and its arguments.
    private static func matching(_ filter: SubscriptionFilter) -> (String, StatementArguments) {
        var sql = "app = ?"
        var arguments: StatementArguments = [filter.appID]
        for (column, value) in [
            ("channel", filter.channel), ("device_id", filter.deviceID), ("client_id", filter.clientID),
        ] {
            if let value {
                sql += " AND \(column) = ?"
                arguments += [value]
            }
        }
        return (sql, arguments)
    }
}
