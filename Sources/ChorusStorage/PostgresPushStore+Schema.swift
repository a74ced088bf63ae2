import Logging
import PostgresNIO

extension PostgresPushStore {
    /// The schema's versions, recorded in `chorus_push_schema_migrations` (the history's are in
    /// `chorus_schema_migrations`: the two evolve apart). The tables are those of the SQLite store
    /// (see `SQLitePushStore.migrator`); keys use the "C" collation so lists page in byte order.
    /// The lock is "chorus" in ASCII, then 2.
    static let schema = PostgresMigrations(
        store: "push",
        table: "chorus_push_schema_migrations",
        lock: 0x6368_6f72_7573_0002,
        migrations: [
            PostgresMigrations.Migration(
                version: 1,
                name: "push",
                statements: [
                    """
                    CREATE TABLE chorus_push_devices (
                        app text COLLATE "C" NOT NULL,
                        device_id text COLLATE "C" NOT NULL,
                        platform text NOT NULL,
                        token text NOT NULL,
                        client_id text COLLATE "C",
                        metadata text,
                        updated_at_ms bigint NOT NULL,
                        PRIMARY KEY (app, device_id)
                    )
                    """,
                    "CREATE INDEX chorus_push_devices_client ON chorus_push_devices (app, client_id, device_id)",
                    """
                    CREATE TABLE chorus_push_subscriptions (
                        app text COLLATE "C" NOT NULL,
                        channel text COLLATE "C" NOT NULL,
                        device_id text COLLATE "C" NOT NULL,
                        client_id text COLLATE "C" NOT NULL,
                        PRIMARY KEY (app, channel, device_id, client_id)
                    )
                    """,
                    "CREATE INDEX chorus_push_subscriptions_device ON chorus_push_subscriptions (app, device_id)",
                    "CREATE INDEX chorus_push_subscriptions_client ON chorus_push_subscriptions (app, client_id)",
                    """
                    CREATE TABLE chorus_push_credentials (
                        app text COLLATE "C" NOT NULL,
                        provider text COLLATE "C" NOT NULL,
                        version integer NOT NULL,
                        credential text NOT NULL,
                        updated_at_ms bigint NOT NULL,
                        PRIMARY KEY (app, provider, version)
                    )
                    """,
                    """
                    CREATE TABLE chorus_push_publishes (
                        app text COLLATE "C" NOT NULL,
                        publish_id text COLLATE "C" NOT NULL,
                        recipients text NOT NULL,
                        payload text NOT NULL,
                        idempotency_key text,
                        fingerprint text NOT NULL,
                        created_at_ms bigint NOT NULL,
                        expires_at_ms bigint NOT NULL,
                        state text NOT NULL,
                        planned integer NOT NULL,
                        PRIMARY KEY (app, publish_id)
                    )
                    """,
                    """
                    CREATE INDEX chorus_push_publishes_key ON chorus_push_publishes (app, idempotency_key, created_at_ms)
                        WHERE idempotency_key IS NOT NULL
                    """,
                    "CREATE INDEX chorus_push_publishes_created ON chorus_push_publishes (created_at_ms)",
                    """
                    CREATE INDEX chorus_push_publishes_unfinished ON chorus_push_publishes (created_at_ms)
                        WHERE state IN ('accepted', 'planning', 'dispatching')
                    """,
                    """
                    CREATE TABLE chorus_push_recipients (
                        app text COLLATE "C" NOT NULL,
                        publish_id text COLLATE "C" NOT NULL,
                        device_id text COLLATE "C" NOT NULL,
                        platform text NOT NULL,
                        state text NOT NULL,
                        via text,
                        error text,
                        detail text,
                        attempts integer NOT NULL,
                        PRIMARY KEY (app, publish_id, device_id),
                        FOREIGN KEY (app, publish_id)
                            REFERENCES chorus_push_publishes (app, publish_id) ON DELETE CASCADE
                    )
                    """,
                    """
                    CREATE INDEX chorus_push_recipients_pending ON chorus_push_recipients (app, publish_id, device_id)
                        WHERE state = 'pending'
                    """,
                ]
            )
        ]
    )
}
