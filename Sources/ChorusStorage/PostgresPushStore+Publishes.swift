import ChorusProtocol
public import ChorusPush
import Logging
import PostgresNIO

extension PostgresPushStore {
    static let publishColumns =
        "app, publish_id, recipients, payload, idempotency_key, fingerprint, created_at_ms, expires_at_ms"

    /// The idempotency check (under the key's advisory lock, so two nodes admitting one key take
    /// turns), then the publish and one pending recipient per resolved device: the devices come from
    /// one INSERT … SELECT over the devices table, so each is planned once however many recipients
    /// name it, and 10,000 of them cost one statement.
    public func admit(_ publish: PushPublish, idempotencySinceMs: Int64) async throws(PushStoreError) -> Admission {
        try await PushStoreError.wrapping("admit") {
            try await client.withTransaction(logger: logger) { connection in
                let app = publish.appID
                let id = publish.publishID
                if let key = publish.idempotencyKey {
                    try await Self.lock("idempotency", app, key, connection, logger: logger)
                    let earlier = try await connection.query(
                        """
                        SELECT \(unescaped: Self.publishColumns), planned FROM chorus_push_publishes
                        WHERE app = \(app) AND idempotency_key = \(key) AND created_at_ms >= \(idempotencySinceMs)
                        ORDER BY created_at_ms DESC LIMIT 1
                        """,
                        logger: logger
                    ).collect().first
                    if let earlier {
                        let (stored, planned) = try Self.publish(earlier)
                        guard stored.fingerprint == publish.fingerprint else { return .conflict }
                        return .duplicate(stored, plannedRecipients: planned)
                    }
                }
                try await connection.query(
                    """
                    INSERT INTO chorus_push_publishes (\(unescaped: Self.publishColumns), state, planned)
                    VALUES (\(app), \(id), \(PushColumns.recipientsText(publish.recipients)),
                        \(publish.payload.json.jsonText), \(publish.idempotencyKey), \(publish.fingerprint),
                        \(publish.createdAtMs), \(publish.expiresAtMs), 'accepted', 0)
                    """,
                    logger: logger
                )
                var channels: [String] = []
                var devices: [String] = []
                var clients: [String] = []
                for recipient in publish.recipients {
                    switch recipient {
                    case .channel(let channel): channels.append(channel)
                    case .device(let deviceID): devices.append(deviceID)
                    case .client(let clientID): clients.append(clientID)
                    }
                }
                let planned = try await Self.count(
                    connection.query(
                        """
                        WITH planned AS (
                            INSERT INTO chorus_push_recipients (app, publish_id, device_id, platform, state, attempts)
                            SELECT d.app, \(id), d.device_id, d.platform, 'pending', 0 FROM chorus_push_devices d
                            WHERE d.app = \(app) AND d.device_id IN (
                                SELECT device_id FROM chorus_push_subscriptions
                                WHERE app = \(app) AND channel = ANY(\(channels)::text[]) AND device_id <> ''
                                UNION SELECT unnest(\(devices)::text[])
                                UNION SELECT device_id FROM chorus_push_devices WHERE app = \(app) AND client_id IN (
                                    SELECT client_id FROM chorus_push_subscriptions
                                    WHERE app = \(app) AND channel = ANY(\(channels)::text[]) AND device_id = ''
                                    UNION SELECT unnest(\(clients)::text[])))
                            RETURNING 1
                        )
                        UPDATE chorus_push_publishes
                        SET planned = (SELECT count(*) FROM planned),
                            state = CASE WHEN (SELECT count(*) FROM planned) = 0 THEN 'succeeded' ELSE 'accepted' END
                        WHERE app = \(app) AND publish_id = \(id)
                        RETURNING planned
                        """,
                        logger: logger
                    )
                )
                return .accepted(plannedRecipients: planned)
            }
        }
    }

    /// The publish and its recipients from one snapshot (a repeatable-read transaction).
    public func status(appID: String, publishID: String) async throws(PushStoreError) -> PublishStatus? {
        try await PushStoreError.wrapping("status") {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", logger: logger)
                guard
                    let row = try await connection.query(
                        """
                        SELECT \(unescaped: Self.publishColumns), planned, state FROM chorus_push_publishes
                        WHERE app = \(appID) AND publish_id = \(publishID)
                        """,
                        logger: logger
                    ).collect().first
                else { return nil }
                let (publish, _) = try Self.publish(row)
                let state = try PushColumns.publishState(row.makeRandomAccess()[9].decode(String.self))
                let recipients = try await connection.query(
                    """
                    SELECT device_id, platform, state, via, error, detail, attempts FROM chorus_push_recipients
                    WHERE app = \(appID) AND publish_id = \(publishID) ORDER BY device_id
                    """,
                    logger: logger
                ).collect().map { row in
                    let (deviceID, platform, state, via, error, detail, attempts) = try row.decode(
                        (String, String, String, String?, String?, String?, Int).self
                    )
                    return try PushColumns.recipient(
                        deviceID: deviceID,
                        platform: platform,
                        state: state,
                        via: via,
                        error: error,
                        detail: detail,
                        attempts: attempts
                    )
                }
                return PublishStatus(publish: publish, state: state, recipients: recipients)
            }
        }
    }

    public func pendingDeliveries(
        appID: String,
        publishID: String,
        after: String?,
        limit: Int
    ) async throws(PushStoreError) -> [PendingDelivery] {
        try await PushStoreError.wrapping("pendingDeliveries") {
            let rows = try await client.query(
                """
                SELECT r.device_id, coalesce(d.platform, r.platform), d.token
                FROM chorus_push_recipients r
                LEFT JOIN chorus_push_devices d ON d.app = r.app AND d.device_id = r.device_id
                WHERE r.app = \(appID) AND r.publish_id = \(publishID) AND r.state = 'pending'
                    AND r.device_id > \(after ?? "")
                ORDER BY r.device_id LIMIT \(limit)
                """,
                logger: logger
            ).collect()
            return try rows.map { row in
                let (deviceID, platformText, token) = try row.decode((String, String, String?).self)
                let platform = try PushColumns.platform(platformText)
                return PendingDelivery(
                    deviceID: deviceID,
                    platform: platform,
                    token: try PushColumns.token(token, platform: platform)
                )
            }
        }
    }

    public func startDispatch(appID: String, publishID: String) async throws(PushStoreError) {
        try await PushStoreError.wrapping("startDispatch") {
            _ = try await client.query(
                """
                UPDATE chorus_push_publishes SET state = 'dispatching'
                WHERE app = \(appID) AND publish_id = \(publishID) AND state = 'accepted'
                """,
                logger: logger
            )
        }
    }

    public func record(_ outcomes: [DeliveryOutcome]) async throws(PushStoreError) {
        let outcomes = PushColumns.firstOutcomes(outcomes)
        guard !outcomes.isEmpty else { return }
        try await PushStoreError.wrapping("record") {
            try await client.withTransaction(logger: logger) { connection in
                try await Self.record(outcomes, connection, logger: logger)
            }
        }
    }

    public func unfinishedPublishes() async throws(PushStoreError) -> [PublishRef] {
        try await PushStoreError.wrapping("unfinishedPublishes") {
            let rows = try await client.query(
                """
                SELECT app, publish_id FROM chorus_push_publishes
                WHERE state IN \(unescaped: PushColumns.unfinishedStates)
                ORDER BY created_at_ms, app, publish_id
                """,
                logger: logger
            ).collect()
            return try rows.map { row in
                let (app, publishID) = try row.decode((String, String).self)
                return PublishRef(appID: app, publishID: publishID)
            }
        }
    }

    public func trimPublishes(beforeMs: Int64) async throws(PushStoreError) -> Int {
        try await PushStoreError.wrapping("trimPublishes") {
            try await Self.count(
                client.query(
                    """
                    WITH gone AS (
                        DELETE FROM chorus_push_publishes
                        WHERE created_at_ms < \(beforeMs) AND state NOT IN \(unescaped: PushColumns.unfinishedStates)
                        RETURNING 1
                    )
                    SELECT count(*) FROM gone
                    """,
                    logger: logger
                )
            )
        }
    }

    /// Locks the publishes (in key order, so two nodes' batches cannot deadlock), writes the
    /// outcomes of still-pending recipients in one statement (the batch as one JSON parameter),
    /// removes the gone devices, then finishes every touched publish with no pending recipient left.
    private static func record(
        _ outcomes: [DeliveryOutcome],
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let publishes = Set(outcomes.map(\.publish)).sorted { ($0.appID, $0.publishID) < ($1.appID, $1.publishID) }
        try await connection.query(
            """
            SELECT 1 FROM chorus_push_publishes p
            JOIN unnest(\(publishes.map(\.appID))::text[], \(publishes.map(\.publishID))::text[]) AS t(app, publish_id)
                USING (app, publish_id)
            ORDER BY app, publish_id FOR UPDATE OF p
            """,
            logger: logger
        )
        let batch = JSONValue.array(
            outcomes.map { outcome -> JSONValue in
                let delivery = outcome.delivery
                return [
                    "app": .string(outcome.publish.appID), "publish_id": .string(outcome.publish.publishID),
                    "device_id": .string(delivery.deviceID), "state": .string(delivery.state.rawValue),
                    "via": delivery.via.map(JSONValue.string) ?? .null,
                    "error": delivery.error.map(JSONValue.string) ?? .null,
                    "detail": delivery.detail.map(JSONValue.string) ?? .null,
                    "attempts": .integer(Int64(delivery.attempts)),
                ]
            }
        )
        let touched = try await connection.query(
            """
            UPDATE chorus_push_recipients r
            SET state = o.state, via = o.via, error = o.error, detail = o.detail, attempts = o.attempts
            FROM json_to_recordset(\(batch.jsonText)::json) AS o(app text, publish_id text, device_id text,
                state text, via text, error text, detail text, attempts integer)
            WHERE r.app = o.app AND r.publish_id = o.publish_id AND r.device_id = o.device_id AND r.state = 'pending'
            RETURNING r.app, r.publish_id
            """,
            logger: logger
        ).collect().map { row in
            let (app, publishID) = try row.decode((String, String).self)
            return PublishRef(appID: app, publishID: publishID)
        }
        let gone = outcomes.filter(\.removeDevice)
        if !gone.isEmpty {
            let apps = gone.map(\.publish.appID)
            let devices = gone.map(\.delivery.deviceID)
            try await connection.query(
                """
                DELETE FROM chorus_push_devices d USING unnest(\(apps)::text[], \(devices)::text[]) AS t(app, device_id)
                WHERE d.app = t.app AND d.device_id = t.device_id
                """,
                logger: logger
            )
            try await connection.query(
                """
                DELETE FROM chorus_push_subscriptions s USING unnest(\(apps)::text[], \(devices)::text[])
                    AS t(app, device_id)
                WHERE s.app = t.app AND s.device_id = t.device_id
                """,
                logger: logger
            )
        }
        try await finish(Set(touched), connection, logger: logger)
    }

    /// Gives each of the publishes with no pending recipient left its terminal state.
    private static func finish(
        _ publishes: Set<PublishRef>,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws {
        guard !publishes.isEmpty else { return }
        let apps = publishes.map(\.appID)
        let ids = publishes.map(\.publishID)
        let counts = try await connection.query(
            """
            SELECT r.app, r.publish_id, count(*) FILTER (WHERE r.state = 'succeeded'),
                count(*) FILTER (WHERE r.state = 'failed'), count(*) FILTER (WHERE r.state = 'expired')
            FROM chorus_push_recipients r
            JOIN unnest(\(apps)::text[], \(ids)::text[]) AS t(app, publish_id) USING (app, publish_id)
            WHERE NOT EXISTS (SELECT 1 FROM chorus_push_recipients p
                WHERE p.app = t.app AND p.publish_id = t.publish_id AND p.state = 'pending')
            GROUP BY r.app, r.publish_id
            """,
            logger: logger
        ).collect()
        guard !counts.isEmpty else { return }
        var finishedApps: [String] = []
        var finishedIDs: [String] = []
        var states: [String] = []
        for row in counts {
            let (app, publishID, succeeded, failed, expired) = try row.decode((String, String, Int, Int, Int).self)
            finishedApps.append(app)
            finishedIDs.append(publishID)
            states.append(PublishState.terminal(succeeded: succeeded, failed: failed, expired: expired).rawValue)
        }
        try await connection.query(
            """
            UPDATE chorus_push_publishes p SET state = t.state
            FROM unnest(\(finishedApps)::text[], \(finishedIDs)::text[], \(states)::text[]) AS t(app, publish_id, state)
            WHERE p.app = t.app AND p.publish_id = t.publish_id AND p.state IN \(unescaped: PushColumns.unfinishedStates)
            """,
            logger: logger
        )
    }

    /// The publish of a row of ``publishColumns`` followed by `planned`, and that count.
    static func publish(_ row: PostgresRow) throws -> (PushPublish, Int) {
        let columns = row.makeRandomAccess()
        let publish = try PushColumns.publish(
            appID: columns[0].decode(String.self),
            publishID: columns[1].decode(String.self),
            recipients: columns[2].decode(String.self),
            payload: columns[3].decode(String.self),
            idempotencyKey: columns[4].decode(String?.self),
            fingerprint: columns[5].decode(String.self),
            createdAtMs: columns[6].decode(Int64.self),
            expiresAtMs: columns[7].decode(Int64.self)
        )
        return (publish, try columns[8].decode(Int.self))
    }
}
