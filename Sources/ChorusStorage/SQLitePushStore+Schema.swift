import GRDB

extension SQLitePushStore {
    /// The schema, as numbered migrations applied in order when the store opens (GRDB records them
    /// in `grdb_migrations`; a history migration recorded in the same file is left alone).
    ///
    /// A subscription's absent device or client id is stored as "", so the key has no NULLs and
    /// lists sort an absent id first. A channel publish reaches a subscription's device when it
    /// names one, and otherwise every device registered with its client id. Credentials keep every
    /// version. A publish keeps its planned count beside its recipient rows, which cascade when it
    /// is trimmed; the partial indexes hold only what is still moving (pending recipients,
    /// unfinished publishes), so the dispatcher's queries stay small however many finished rows
    /// are kept.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-push") { db in
            try db.execute(
                sql: """
                    CREATE TABLE chorus_push_devices (
                        app TEXT NOT NULL,
                        device_id TEXT NOT NULL,
                        platform TEXT NOT NULL,
                        token TEXT NOT NULL,
                        client_id TEXT,
                        metadata TEXT,
                        updated_at_ms INTEGER NOT NULL,
                        PRIMARY KEY (app, device_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX chorus_push_devices_client ON chorus_push_devices (app, client_id, device_id);
                    CREATE TABLE chorus_push_subscriptions (
                        app TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        device_id TEXT NOT NULL,
                        client_id TEXT NOT NULL,
                        PRIMARY KEY (app, channel, device_id, client_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX chorus_push_subscriptions_device ON chorus_push_subscriptions (app, device_id);
                    CREATE INDEX chorus_push_subscriptions_client ON chorus_push_subscriptions (app, client_id);
                    CREATE TABLE chorus_push_credentials (
                        app TEXT NOT NULL,
                        provider TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        credential TEXT NOT NULL,
                        updated_at_ms INTEGER NOT NULL,
                        PRIMARY KEY (app, provider, version)
                    ) WITHOUT ROWID;
                    CREATE TABLE chorus_push_publishes (
                        app TEXT NOT NULL,
                        publish_id TEXT NOT NULL,
                        recipients TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        idempotency_key TEXT,
                        fingerprint TEXT NOT NULL,
                        created_at_ms INTEGER NOT NULL,
                        expires_at_ms INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        planned INTEGER NOT NULL,
                        PRIMARY KEY (app, publish_id)
                    );
                    CREATE INDEX chorus_push_publishes_key ON chorus_push_publishes (app, idempotency_key, created_at_ms)
                        WHERE idempotency_key IS NOT NULL;
                    CREATE INDEX chorus_push_publishes_created ON chorus_push_publishes (created_at_ms);
                    CREATE INDEX chorus_push_publishes_unfinished ON chorus_push_publishes (created_at_ms)
                        WHERE state IN ('accepted', 'planning', 'dispatching');
                    CREATE TABLE chorus_push_recipients (
                        app TEXT NOT NULL,
                        publish_id TEXT NOT NULL,
                        device_id TEXT NOT NULL,
                        platform TEXT NOT NULL,
                        state TEXT NOT NULL,
                        via TEXT,
                        error TEXT,
                        detail TEXT,
                        attempts INTEGER NOT NULL,
                        PRIMARY KEY (app, publish_id, device_id),
                        FOREIGN KEY (app, publish_id)
                            REFERENCES chorus_push_publishes (app, publish_id) ON DELETE CASCADE
                    ) WITHOUT ROWID;
                    CREATE INDEX chorus_push_recipients_pending ON chorus_push_recipients (app, publish_id, device_id)
                        WHERE state = 'pending';
                    """
            )
        }
        return migrator
    }
}
