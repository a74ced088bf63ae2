import GRDB

extension SQLiteHistoryStore {
    /// The schema, as numbered migrations applied in order when the store opens; GRDB records the
    /// applied ones in `grdb_migrations`, so reopening an older file upgrades it and a current one
    /// is left alone.
    ///
    /// A message is one row of `chorus_messages` holding its latest state. Its versions live in
    /// `chorus_versions` only once it is mutated (the first mutation copies the create there), so
    /// a retained publish costs one row: that is what keeps the append path at tens of thousands
    /// of messages a second. `chorus_channels` names each channel once and holds its last history
    /// serial, the counter every append advances in its own transaction. Versions, idempotency
    /// keys and annotations cascade when retention deletes their message.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-history") { db in
            try db.execute(
                sql: """
                    CREATE TABLE chorus_channels (
                        id INTEGER PRIMARY KEY,
                        app TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        last_serial INTEGER NOT NULL,
                        UNIQUE (app, channel)
                    );
                    CREATE TABLE chorus_messages (
                        channel_id INTEGER NOT NULL,
                        history_serial INTEGER NOT NULL,
                        message_serial TEXT NOT NULL,
                        published_at_ms INTEGER NOT NULL,
                        name TEXT,
                        data TEXT,
                        action TEXT NOT NULL,
                        version_number INTEGER NOT NULL,
                        version_serial TEXT NOT NULL,
                        version_timestamp_ms INTEGER NOT NULL,
                        version_client_id TEXT,
                        version_description TEXT,
                        version_metadata TEXT,
                        UNIQUE (channel_id, history_serial),
                        UNIQUE (channel_id, message_serial)
                    );
                    CREATE TABLE chorus_versions (
                        channel_id INTEGER NOT NULL,
                        message_serial TEXT NOT NULL,
                        version_number INTEGER NOT NULL,
                        name TEXT,
                        data TEXT,
                        action TEXT NOT NULL,
                        version_serial TEXT NOT NULL,
                        version_timestamp_ms INTEGER NOT NULL,
                        version_client_id TEXT,
                        version_description TEXT,
                        version_metadata TEXT,
                        PRIMARY KEY (channel_id, message_serial, version_number),
                        FOREIGN KEY (channel_id, message_serial)
                            REFERENCES chorus_messages (channel_id, message_serial) ON DELETE CASCADE
                    ) WITHOUT ROWID;
                    CREATE TABLE chorus_idempotency (
                        channel_id INTEGER NOT NULL,
                        message_serial TEXT NOT NULL,
                        action TEXT NOT NULL,
                        key TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        version_number INTEGER NOT NULL,
                        PRIMARY KEY (channel_id, message_serial, action, key),
                        FOREIGN KEY (channel_id, message_serial)
                            REFERENCES chorus_messages (channel_id, message_serial) ON DELETE CASCADE
                    ) WITHOUT ROWID;
                    CREATE TABLE chorus_annotations (
                        channel_id INTEGER NOT NULL,
                        message_serial TEXT NOT NULL,
                        serial TEXT NOT NULL,
                        action TEXT NOT NULL,
                        annotation_serial TEXT NOT NULL,
                        type TEXT NOT NULL,
                        name TEXT,
                        client_id TEXT,
                        count INTEGER,
                        data TEXT,
                        timestamp_ms INTEGER NOT NULL,
                        PRIMARY KEY (channel_id, message_serial, serial),
                        FOREIGN KEY (channel_id, message_serial)
                            REFERENCES chorus_messages (channel_id, message_serial) ON DELETE CASCADE
                    );
                    CREATE INDEX chorus_annotations_target
                        ON chorus_annotations (channel_id, message_serial, annotation_serial);
                    """
            )
        }
        return migrator
    }
}
