import ChorusProtocol
public import ChorusPush
import GRDB

extension SQLitePushStore {
    static let publishColumns =
        "app, publish_id, recipients, payload, idempotency_key, fingerprint, created_at_ms, expires_at_ms"

    public func admit(_ publish: PushPublish, idempotencySinceMs: Int64) async throws(PushStoreError) -> Admission {
        try await PushStoreError.wrapping("admit") {
            try await pool.write { db in try Self.admit(publish, idempotencySinceMs: idempotencySinceMs, db) }
        }
    }

    public func status(appID: String, publishID: String) async throws(PushStoreError) -> PublishStatus? {
        try await PushStoreError.wrapping("status") {
            try await pool.read { db in
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT \(Self.publishColumns), state FROM chorus_push_publishes
                            WHERE app = ? AND publish_id = ?
                            """,
                        arguments: [appID, publishID]
                    )
                else { return nil }
                let recipients = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT device_id, platform, state, via, error, detail, attempts FROM chorus_push_recipients
                        WHERE app = ? AND publish_id = ? ORDER BY device_id
                        """,
                    arguments: [appID, publishID]
                ).map { row throws(PushStoreError) in
                    try PushColumns.recipient(
                        deviceID: row[0],
                        platform: row[1],
                        state: row[2],
                        via: row[3],
                        error: row[4],
                        detail: row[5],
                        attempts: row[6]
                    )
                }
                return PublishStatus(
                    publish: try Self.publish(row),
                    state: try PushColumns.publishState(row[8]),
                    recipients: recipients
                )
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
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT r.device_id, coalesce(d.platform, r.platform), d.token
                        FROM chorus_push_recipients r
                        LEFT JOIN chorus_push_devices d ON d.app = r.app AND d.device_id = r.device_id
                        WHERE r.app = ? AND r.publish_id = ? AND r.state = 'pending' AND r.device_id > ?
                        ORDER BY r.device_id LIMIT ?
                        """,
                    arguments: [appID, publishID, after ?? "", limit]
                ).map { row throws(PushStoreError) in
                    let platform = try PushColumns.platform(row[1])
                    return PendingDelivery(
                        deviceID: row[0],
                        platform: platform,
                        token: try PushColumns.token(row[2], platform: platform)
                    )
                }
            }
        }
    }

    public func startDispatch(appID: String, publishID: String) async throws(PushStoreError) {
        try await PushStoreError.wrapping("startDispatch") {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        UPDATE chorus_push_publishes SET state = 'dispatching'
                        WHERE app = ? AND publish_id = ? AND state = 'accepted'
                        """,
                    arguments: [appID, publishID]
                )
            }
        }
    }

    public func record(_ outcomes: [DeliveryOutcome]) async throws(PushStoreError) {
        guard !outcomes.isEmpty else { return }
        try await PushStoreError.wrapping("record") {
            try await pool.write { db in try Self.record(PushColumns.firstOutcomes(outcomes), db) }
        }
    }

    public func unfinishedPublishes() async throws(PushStoreError) -> [PublishRef] {
        try await PushStoreError.wrapping("unfinishedPublishes") {
            try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT app, publish_id FROM chorus_push_publishes
                        WHERE state IN \(PushColumns.unfinishedStates)
                        ORDER BY created_at_ms, app, publish_id
                        """
                ).map { PublishRef(appID: $0[0], publishID: $0[1]) }
            }
        }
    }

    public func trimPublishes(beforeMs: Int64) async throws(PushStoreError) -> Int {
        try await PushStoreError.wrapping("trimPublishes") {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        DELETE FROM chorus_push_publishes
                        WHERE created_at_ms < ? AND state NOT IN \(PushColumns.unfinishedStates)
                        """,
                    arguments: [beforeMs]
                )
                return db.changesCount
            }
        }
    }

    /// The idempotency check, then the publish and one pending recipient per resolved device, in
    /// the writer's transaction. The devices come from one INSERT … SELECT over the devices table,
    /// so each is planned once however many recipients name it.
    private static func admit(_ publish: PushPublish, idempotencySinceMs: Int64, _ db: Database) throws -> Admission {
        let app = publish.appID
        if let key = publish.idempotencyKey,
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT \(publishColumns), planned FROM chorus_push_publishes
                    WHERE app = ? AND idempotency_key = ? AND created_at_ms >= ?
                    ORDER BY created_at_ms DESC LIMIT 1
                    """,
                arguments: [app, key, idempotencySinceMs]
            )
        {
            let earlier = try Self.publish(row)
            guard earlier.fingerprint == publish.fingerprint else { return .conflict }
            return .duplicate(earlier, plannedRecipients: row[8])
        }
        try db.execute(
            sql: """
                INSERT INTO chorus_push_publishes (\(publishColumns), state, planned)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'accepted', 0)
                """,
            arguments: [
                app, publish.publishID, PushColumns.recipientsText(publish.recipients), publish.payload.json.jsonText,
                publish.idempotencyKey, publish.fingerprint, publish.createdAtMs, publish.expiresAtMs,
            ]
        )
        var channels: [JSONValue] = []
        var devices: [JSONValue] = []
        var clients: [JSONValue] = []
        for recipient in publish.recipients {
            switch recipient {
            case .channel(let channel): channels.append(.string(channel))
            case .device(let deviceID): devices.append(.string(deviceID))
            case .client(let clientID): clients.append(.string(clientID))
            }
        }
        try db.execute(
            sql: """
                INSERT INTO chorus_push_recipients (app, publish_id, device_id, platform, state, attempts)
                SELECT d.app, ?, d.device_id, d.platform, 'pending', 0 FROM chorus_push_devices d
                WHERE d.app = ? AND d.device_id IN (
                    SELECT device_id FROM chorus_push_subscriptions
                    WHERE app = ? AND channel IN (SELECT value FROM json_each(?)) AND device_id <> ''
                    UNION SELECT value FROM json_each(?)
                    UNION SELECT device_id FROM chorus_push_devices WHERE app = ? AND client_id IN (
                        SELECT client_id FROM chorus_push_subscriptions
                        WHERE app = ? AND channel IN (SELECT value FROM json_each(?)) AND device_id = ''
                        UNION SELECT value FROM json_each(?)))
                """,
            arguments: [
                publish.publishID, app, app, JSONValue.array(channels).jsonText, JSONValue.array(devices).jsonText,
                app, app, JSONValue.array(channels).jsonText, JSONValue.array(clients).jsonText,
            ]
        )
        let planned = db.changesCount
        try db.execute(
            sql: "UPDATE chorus_push_publishes SET planned = ?, state = ? WHERE app = ? AND publish_id = ?",
            arguments: [
                planned, planned == 0 ? PublishState.succeeded.rawValue : PublishState.accepted.rawValue, app,
                publish.publishID,
            ]
        )
        return .accepted(plannedRecipients: planned)
    }

    /// Writes the outcomes of still-pending recipients, removes the gone devices, then finishes
    /// every touched publish with no pending recipient left, in the writer's transaction.
    private static func record(_ outcomes: [DeliveryOutcome], _ db: Database) throws {
        let update = try db.cachedStatement(
            sql: """
                UPDATE chorus_push_recipients SET state = ?, via = ?, error = ?, detail = ?, attempts = ?
                WHERE app = ? AND publish_id = ? AND device_id = ? AND state = 'pending'
                """
        )
        var touched: Set<PublishRef> = []
        for outcome in outcomes {
            let delivery = outcome.delivery
            try update.execute(arguments: [
                delivery.state.rawValue, delivery.via, delivery.error, delivery.detail, delivery.attempts,
                outcome.publish.appID, outcome.publish.publishID, delivery.deviceID,
            ])
            if db.changesCount > 0 {
                touched.insert(outcome.publish)
            }
            if outcome.removeDevice {
                _ = try deleteDevice(appID: outcome.publish.appID, deviceID: delivery.deviceID, db)
            }
        }
        for ref in touched {
            let pending = try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM chorus_push_recipients
                        WHERE app = ? AND publish_id = ? AND state = 'pending')
                    """,
                arguments: [ref.appID, ref.publishID]
            )
            guard pending == false else { continue }
            let counts = try Row.fetchAll(
                db,
                sql: """
                    SELECT state, count(*) FROM chorus_push_recipients WHERE app = ? AND publish_id = ? GROUP BY state
                    """,
                arguments: [ref.appID, ref.publishID]
            )
            var byState: [String: Int] = [:]
            for row in counts {
                byState[row[0]] = row[1]
            }
            let state = PublishState.terminal(
                succeeded: byState[RecipientState.succeeded.rawValue] ?? 0,
                failed: byState[RecipientState.failed.rawValue] ?? 0,
                expired: byState[RecipientState.expired.rawValue] ?? 0
            )
            try db.execute(
                sql: """
                    UPDATE chorus_push_publishes SET state = ?
                    WHERE app = ? AND publish_id = ? AND state IN \(PushColumns.unfinishedStates)
                    """,
                arguments: [state.rawValue, ref.appID, ref.publishID]
            )
        }
    }

    /// The publish of a row of ``publishColumns``.
    static func publish(_ row: Row) throws(PushStoreError) -> PushPublish {
        try PushColumns.publish(
            appID: row[0],
            publishID: row[1],
            recipients: row[2],
            payload: row[3],
            idempotencyKey: row[4],
            fingerprint: row[5],
            createdAtMs: row[6],
            expiresAtMs: row[7]
        )
    }
}
