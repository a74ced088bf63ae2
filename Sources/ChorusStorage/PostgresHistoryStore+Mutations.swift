public import ChorusHistory
import Logging
import PostgresNIO

extension PostgresHistoryStore {
    public func mutate(_ mutation: MessageMutation) async throws(HistoryStoreError) -> MutationOutcome {
        try await HistoryStoreError.wrapping("mutate") {
            try await client.withTransaction(logger: logger) { connection in
                try await Self.applyMutation(mutation, connection, logger: logger)
            }
        }
    }

    /// Locks the message, checks the idempotency key, and writes the new latest state, its version
    /// and the key in the caller's transaction.
    private static func applyMutation(
        _ mutation: MessageMutation,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws -> MutationOutcome {
        guard
            let (channelID, latest) = try await latest(
                mutation.channel,
                mutation.messageSerial,
                locking: true,
                connection,
                logger: logger
            )
        else { return .messageNotFound }
        let serial = mutation.messageSerial
        let action = mutation.action.rawValue
        if let key = mutation.idempotencyKey {
            let rows = try await connection.query(
                """
                SELECT fingerprint, version_number FROM chorus_idempotency
                WHERE channel_id = \(channelID) AND message_serial = \(serial) AND action = \(action) AND key = \(key)
                """,
                logger: logger
            )
            for try await (fingerprint, number) in rows.decode((String, Int).self) {
                guard fingerprint == mutation.fingerprint else { return .conflict }
                guard
                    let version = try await version(
                        mutation.channel,
                        channelID: channelID,
                        messageSerial: serial,
                        number: number,
                        connection,
                        logger: logger
                    )
                else {
                    throw HistoryStoreError("idempotency key \(key) names a missing version \(number)")
                }
                return .duplicate(version)
            }
        }
        let effect = mutation.apply(latest)
        // The first mutation copies the create into the versions: until now it lived only as the
        // latest state, which this mutation replaces.
        if latest.versionNumber == 1 {
            try await insertVersion(latest, channelID: channelID, connection, logger: logger)
        }
        try await insertVersion(effect.version, channelID: channelID, connection, logger: logger)
        let new = effect.latest
        try await connection.query(
            """
            UPDATE chorus_messages SET name = \(new.name), data = \(new.data), action = \(new.action.rawValue),
                version_number = \(new.versionNumber), version_serial = \(new.version.serial),
                version_timestamp_ms = \(new.version.timestampMs), version_client_id = \(new.version.clientID),
                version_description = \(new.version.description), version_metadata = \(new.version.metadata)
            WHERE channel_id = \(channelID) AND message_serial = \(serial)
            """,
            logger: logger
        )
        if let key = mutation.idempotencyKey {
            try await connection.query(
                """
                INSERT INTO chorus_idempotency (channel_id, message_serial, action, key, fingerprint, version_number)
                VALUES (\(channelID), \(serial), \(action), \(key), \(mutation.fingerprint), \(effect.version.versionNumber))
                """,
                logger: logger
            )
        }
        return .applied(effect)
    }

    private static func insertVersion(
        _ version: StoredMessage,
        channelID: Int64,
        _ connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let info = version.version
        try await connection.query(
            """
            INSERT INTO chorus_versions (channel_id, message_serial, version_number, name, data, action,
                version_serial, version_timestamp_ms, version_client_id, version_description, version_metadata)
            VALUES (\(channelID), \(version.messageSerial), \(version.versionNumber), \(version.name), \(version.data),
                \(version.action.rawValue), \(info.serial), \(info.timestampMs), \(info.clientID), \(info.description),
                \(info.metadata))
            """,
            logger: logger
        )
    }
}
