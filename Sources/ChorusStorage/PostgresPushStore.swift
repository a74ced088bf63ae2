import ChorusProtocol
public import ChorusPush
public import Logging
import PostgresNIO

/// The push store on PostgreSQL (several Chorus nodes may share it), through postgres-nio's
/// `PostgresClient`, with the tables of ``SQLitePushStore``.
///
/// Every method is one statement or one transaction. Where two nodes could race, a lock orders
/// them: a re-registration locks the device row, a subscription holds the device row shared (a
/// concurrent delete waits, then takes the subscription with it), a credential version and an
/// idempotency key are taken under a transaction-scoped advisory lock of their own, and recording
/// outcomes locks the publishes first, so the last batch of a publish always sees the others'
/// outcomes and finishes it. Durability is PostgreSQL's (`synchronous_commit = on`: COMMIT returns
/// after the WAL is flushed).
public final class PostgresPushStore: PushStore {
    let client: PostgresClient
    let logger: Logger
    private let running: RunningPostgresClient

    /// Connects to `url` (`postgres://user[:password]@host[:port]/database`) and applies the
    /// pending push schema migrations.
    public init(url: String, logger: Logger) async throws(PushStoreError) {
        let running: RunningPostgresClient
        do {
            running = try await RunningPostgresClient.open(url: url, logger: logger) {
                try await Self.schema.apply($0, logger: logger)
            }
        } catch {
            switch error {
            case .invalidURL: throw PushStoreError(PostgresClient.Configuration.storageURLShape)
            case .migration(let error):
                throw PushStoreError("migrating the PostgreSQL push store: \(String(reflecting: error))")
            }
        }
        self.client = running.client
        self.logger = logger
        self.running = running
    }

    static let deviceColumns = "app, device_id, platform, token, client_id, metadata, updated_at_ms"

    public func register(_ device: DeviceRegistration) async throws(PushStoreError) -> RegistrationChange {
        try await PushStoreError.wrapping("register") {
            try await client.withTransaction(logger: logger) { connection in
                let old = try await connection.query(
                    """
                    SELECT \(unescaped: Self.deviceColumns) FROM chorus_push_devices
                    WHERE app = \(device.appID) AND device_id = \(device.deviceID) FOR UPDATE
                    """,
                    logger: logger
                ).collect().first
                if let old, try Self.device(old).registersSame(as: device) { return .unchanged }
                let inserted = try await connection.query(
                    """
                    INSERT INTO chorus_push_devices (\(unescaped: Self.deviceColumns))
                    VALUES (\(device.appID), \(device.deviceID), \(device.platform.rawValue), \(device.token.storedText),
                        \(device.clientID), \(device.metadata?.jsonText), \(device.updatedAtMs))
                    ON CONFLICT (app, device_id) DO UPDATE SET platform = excluded.platform, token = excluded.token,
                        client_id = excluded.client_id, metadata = excluded.metadata,
                        updated_at_ms = excluded.updated_at_ms
                    RETURNING xmax = 0
                    """,
                    logger: logger
                ).collect().first?.decode(Bool.self)
                return inserted == true ? .created : .updated
            }
        }
    }

    public func device(appID: String, deviceID: String) async throws(PushStoreError) -> DeviceRegistration? {
        try await PushStoreError.wrapping("device") {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.deviceColumns) FROM chorus_push_devices
                WHERE app = \(appID) AND device_id = \(deviceID)
                """,
                logger: logger
            ).collect()
            return try rows.first.map(Self.device)
        }
    }

    public func devices(
        appID: String,
        clientID: String?,
        after: String?,
        limit: Int
    ) async throws(PushStoreError) -> [DeviceRegistration] {
        try await PushStoreError.wrapping("devices") {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.deviceColumns) FROM chorus_push_devices
                WHERE app = \(appID) AND device_id > \(after ?? "") AND (\(clientID)::text IS NULL OR client_id = \(clientID))
                ORDER BY device_id LIMIT \(limit)
                """,
                logger: logger
            ).collect()
            return try rows.map(Self.device)
        }
    }

    public func deleteDevice(appID: String, deviceID: String) async throws(PushStoreError) -> Bool {
        try await PushStoreError.wrapping("deleteDevice") {
            try await client.withTransaction(logger: logger) { connection in
                try await Self.deleteDevices(
                    appID: appID,
                    deviceID: deviceID,
                    clientID: nil,
                    connection,
                    logger: logger
                )
                    > 0
            }
        }
    }

    public func deleteDevices(appID: String, clientID: String) async throws(PushStoreError) -> Int {
        try await PushStoreError.wrapping("deleteDevices") {
            try await client.withTransaction(logger: logger) { connection in
                try await Self.deleteDevices(
                    appID: appID,
                    deviceID: nil,
                    clientID: clientID,
                    connection,
                    logger: logger
                )
            }
        }
    }

    public func subscribe(_ subscription: ChannelSubscription) async throws(PushStoreError) -> Bool {
        try await PushStoreError.wrapping("subscribe") {
            try await client.withTransaction(logger: logger) { connection in
                let app = subscription.appID
                let deviceID = subscription.deviceID ?? ""
                if !deviceID.isEmpty {
                    let registered = try await connection.query(
                        "SELECT 1 FROM chorus_push_devices WHERE app = \(app) AND device_id = \(deviceID) FOR SHARE",
                        logger: logger
                    ).collect()
                    guard !registered.isEmpty else { return false }
                }
                try await connection.query(
                    """
                    INSERT INTO chorus_push_subscriptions (app, channel, device_id, client_id)
                    VALUES (\(app), \(subscription.channel), \(deviceID), \(subscription.clientID ?? ""))
                    ON CONFLICT DO NOTHING
                    """,
                    logger: logger
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
            let rows = try await client.query(
                """
                SELECT channel, device_id, client_id FROM chorus_push_subscriptions
                WHERE app = \(filter.appID) AND (\(filter.channel)::text IS NULL OR channel = \(filter.channel))
                    AND (\(filter.deviceID)::text IS NULL OR device_id = \(filter.deviceID))
                    AND (\(filter.clientID)::text IS NULL OR client_id = \(filter.clientID)) AND (channel, device_id, client_id)
                    > (\(after?.channel ?? ""), \(after?.deviceID ?? ""), \(after?.clientID ?? ""))
                ORDER BY channel, device_id, client_id LIMIT \(limit)
                """,
                logger: logger
            ).collect()
            return try rows.map { row in
                let (channel, deviceID, clientID) = try row.decode((String, String, String).self)
                return ChannelSubscription(
                    appID: filter.appID,
                    channel: channel,
                    deviceID: deviceID.isEmpty ? nil : deviceID,
                    clientID: clientID.isEmpty ? nil : clientID
                )
            }
        }
    }

    public func unsubscribe(_ filter: SubscriptionFilter) async throws(PushStoreError) -> Int {
        try await PushStoreError.wrapping("unsubscribe") {
            try await Self.count(
                client.query(
                    """
                    WITH gone AS (
                        DELETE FROM chorus_push_subscriptions
                        WHERE app = \(filter.appID) AND (\(filter.channel)::text IS NULL OR channel = \(filter.channel))
                            AND (\(filter.deviceID)::text IS NULL OR device_id = \(filter.deviceID))
                            AND (\(filter.clientID)::text IS NULL OR client_id = \(filter.clientID))
                        RETURNING 1
                    )
                    SELECT count(*) FROM gone
                    """,
                    logger: logger
                )
            )
        }
    }

    public func subscribedChannels(
        appID: String,
        after: String?,
        limit: Int
    ) async throws(PushStoreError) -> [String] {
        try await PushStoreError.wrapping("subscribedChannels") {
            let rows = try await client.query(
                """
                SELECT DISTINCT channel FROM chorus_push_subscriptions WHERE app = \(appID) AND channel > \(after ?? "")
                ORDER BY channel LIMIT \(limit)
                """,
                logger: logger
            ).collect()
            return try rows.map { try $0.decode(String.self) }
        }
    }

    public func putCredential(
        appID: String,
        credential: PushCredential,
        atMs: Int64
    ) async throws(PushStoreError) -> StoredCredential {
        try await PushStoreError.wrapping("putCredential") {
            try await client.withTransaction(logger: logger) { connection in
                let provider = credential.provider.rawValue
                try await Self.lock("credential", appID, provider, connection, logger: logger)
                let version = try await connection.query(
                    """
                    INSERT INTO chorus_push_credentials (app, provider, version, credential, updated_at_ms)
                    SELECT \(appID), \(provider), coalesce(max(version), 0) + 1, \(credential.storedJSON.jsonText), \(atMs)
                    FROM chorus_push_credentials WHERE app = \(appID) AND provider = \(provider)
                    RETURNING version
                    """,
                    logger: logger
                ).collect().first?.decode(Int.self)
                return StoredCredential(appID: appID, credential: credential, version: version ?? 0, updatedAtMs: atMs)
            }
        }
    }

    public func credentials(appID: String) async throws(PushStoreError) -> [StoredCredential] {
        try await PushStoreError.wrapping("credentials") {
            let rows = try await client.query(
                """
                SELECT DISTINCT ON (provider) provider, version, credential, updated_at_ms FROM chorus_push_credentials
                WHERE app = \(appID) ORDER BY provider, version DESC
                """,
                logger: logger
            ).collect()
            return try rows.map { try Self.credential($0, appID: appID) }
        }
    }

    public func close() async {
        await running.stop()
    }

    /// The credential of a row of `provider, version, credential, updated_at_ms`.
    static func credential(_ row: PostgresRow, appID: String) throws -> StoredCredential {
        let (provider, version, credential, updatedAtMs) = try row.decode((String, Int, String, Int64).self)
        return try PushColumns.credential(
            appID: appID,
            provider: provider,
            version: version,
            credential: credential,
            updatedAtMs: updatedAtMs
        )
    }

    /// The device of a row of ``deviceColumns``.
    static func device(_ row: PostgresRow) throws -> DeviceRegistration {
        let (app, deviceID, platform, token, clientID, metadata, updatedAtMs) = try row.decode(
            (String, String, String, String, String?, String?, Int64).self
        )
        return try PushColumns.device(
            appID: app,
            deviceID: deviceID,
            platform: platform,
            token: token,
            clientID: clientID,
            metadata: metadata,
            updatedAtMs: updatedAtMs
        )
    }

    /// Removes the app's devices with that id or client id, then their subscriptions (a statement
    /// of its own, so it also sees a subscription committed while the devices' delete waited for
    /// its lock); how many devices went.
    static func deleteDevices(
        appID: String,
        deviceID: String?,
        clientID: String?,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> Int {
        let gone = try await connection.query(
            """
            DELETE FROM chorus_push_devices WHERE app = \(appID)
                AND (\(deviceID)::text IS NULL OR device_id = \(deviceID))
                AND (\(clientID)::text IS NULL OR client_id = \(clientID))
            RETURNING device_id
            """,
            logger: logger
        ).collect().map { try $0.decode(String.self) }
        guard !gone.isEmpty else { return 0 }
        try await connection.query(
            "DELETE FROM chorus_push_subscriptions WHERE app = \(appID) AND device_id = ANY(\(gone)::text[])",
            logger: logger
        )
        return gone.count
    }

    /// Takes the transaction-scoped advisory lock of (`kind`, app, name): what serialises two
    /// nodes' credential versions, or two admissions with one idempotency key.
    static func lock(
        _ kind: String,
        _ appID: String,
        _ name: String,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(hashtextextended(\(kind) || ':' || \(appID) || ':' || \(name), 0))",
            logger: logger
        )
    }

    /// The single count a `SELECT count(*)` answers.
    static func count(_ rows: PostgresRowSequence) async throws -> Int {
        try await rows.collect().first?.decode(Int.self) ?? 0
    }
}
