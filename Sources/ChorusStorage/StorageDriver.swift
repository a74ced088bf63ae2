/// Which backend keeps the history (`storage.driver` in the server configuration).
public enum StorageDriver: String, Sendable, Hashable, Codable, CaseIterable {
    /// One SQLite file (`storage.path`): the embedded default, nothing to install.
    case sqlite
    /// A PostgreSQL database (`storage.url`) that several Chorus nodes may share.
    case postgres
    /// Process memory: tests and benchmarks; gone when the process ends.
    case memory
}
