public import ChorusHistory
import GRDB

extension SQLiteHistoryStore {
    public func mutate(_ mutation: MessageMutation) async throws(HistoryStoreError) -> MutationOutcome {
        try await HistoryStoreError.wrapping("mutate") {
            try await pool.write { db in try Self.applyMutation(mutation, db) }
        }
    }

    /// Reads the latest state, checks the idempotency key, and writes the new latest state, its
    /// version and the key, all in the writer's transaction.
    private static func applyMutation(_ mutation: MessageMutation, _ db: Database) throws -> MutationOutcome {
        guard let (channelID, latest) = try latest(mutation.channel, mutation.messageSerial, db) else {
            return .messageNotFound
        }
        if let key = mutation.idempotencyKey,
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT fingerprint, version_number FROM chorus_idempotency
                    WHERE channel_id = ? AND message_serial = ? AND action = ? AND key = ?
                    """,
                arguments: [channelID, mutation.messageSerial, mutation.action.rawValue, key]
            )
        {
            let fingerprint: String = row[0]
            guard fingerprint == mutation.fingerprint else { return .conflict }
            let number: Int = row[1]
            guard
                let version = try version(
                    mutation.channel,
                    channelID: channelID,
                    messageSerial: mutation.messageSerial,
                    number: number,
                    db
                )
            else {
                throw HistoryStoreError("idempotency key \(key) names a missing version \(number)")
            }
            return .duplicate(version)
        }
        let effect = mutation.apply(latest)
        // The first mutation copies the create into the versions: until now it lived only as the
        // latest state, which this mutation replaces.
        if latest.versionNumber == 1 {
            try insertVersion(latest, channelID: channelID, db)
        }
        try insertVersion(effect.version, channelID: channelID, db)
        let new = effect.latest
        try db.execute(
            sql: """
                UPDATE chorus_messages SET name = ?, data = ?, action = ?, version_number = ?, version_serial = ?,
                    version_timestamp_ms = ?, version_client_id = ?, version_description = ?, version_metadata = ?
                WHERE channel_id = ? AND message_serial = ?
                """,
            arguments: [
                new.name, new.data, new.action.rawValue, new.versionNumber, new.version.serial,
                new.version.timestampMs, new.version.clientID, new.version.description, new.version.metadata,
                channelID, mutation.messageSerial,
            ]
        )
        if let key = mutation.idempotencyKey {
            try db.execute(
                sql: """
                    INSERT INTO chorus_idempotency (channel_id, message_serial, action, key, fingerprint, version_number)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    channelID, mutation.messageSerial, mutation.action.rawValue, key, mutation.fingerprint,
                    effect.version.versionNumber,
                ]
            )
        }
        return .applied(effect)
    }

    private static func insertVersion(_ version: StoredMessage, channelID: Int64, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO chorus_versions (channel_id, message_serial, version_number, name, data, action,
                    version_serial, version_timestamp_ms, version_client_id, version_description, version_metadata)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                channelID, version.messageSerial, version.versionNumber, version.name, version.data,
                version.action.rawValue, version.version.serial, version.version.timestampMs,
                version.version.clientID, version.version.description, version.version.metadata,
            ]
        )
    }
}
