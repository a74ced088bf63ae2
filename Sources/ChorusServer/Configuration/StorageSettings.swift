public import ChorusStorage

/// Where the server keeps history: `storage: {driver, path, url}`, as the configuration file
/// spells it; ``configuration`` is what the store factory opens.
public struct StorageSettings: Sendable, Hashable, Codable, ConfigurationSection {
    public var driver: StorageDriver = .sqlite
    /// The SQLite file, relative to the working directory unless absolute.
    public var path: String = StorageConfiguration.defaultSQLitePath
    /// `postgres://user:password@host:port/database` for the postgres driver.
    public var url: String = ""
    /// SQLite's `synchronous`: `full` (the default) fsyncs every group commit, so an acknowledged
    /// publish survives a power cut; `normal` survives `kill -9` and crashes of the process only,
    /// and spares the disk an fsync per commit (answers were no sooner on this machine:
    /// results/history/README.md).
    public var sqliteSynchronous: SQLiteHistoryStore.Durability = .powerLoss

    public init() {}

    /// Memory storage.
    public static var memory: StorageSettings {
        var settings = StorageSettings()
        settings.driver = .memory
        return settings
    }

    package static var settings: [ConfigurationSetting<Self>] {
        [
            .value("driver", \.driver),
            .value("path", \.path),
            .value("url", \.url),
            .value("sqlite_synchronous", \.sqliteSynchronous),
        ]
    }

    public init(from decoder: any Decoder) throws {
        try decodeSettings(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeSettings(to: encoder)
    }

    /// Problems that keep the store from opening, each naming its field.
    var problems: [String] {
        switch driver {
        case .sqlite where path.isEmpty: ["storage.path must name the SQLite file for driver sqlite"]
        case .postgres where !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")):
            ["storage.url must be a postgres:// URL for driver postgres"]
        default: []
        }
    }

    /// The same settings with a relative SQLite `path` made absolute under `directory`.
    public func resolved(in directory: String) -> StorageSettings {
        guard driver == .sqlite, !path.hasPrefix("/") else { return self }
        var resolved = self
        resolved.path = directory + "/" + path
        return resolved
    }

    /// What ``HistoryStoreFactory`` opens.
    public var configuration: StorageConfiguration {
        StorageConfiguration(
            driver: driver,
            path: path,
            url: url.isEmpty ? nil : url,
            sqliteDurability: sqliteSynchronous
        )
    }

    /// How the push store is described at start-up: with SQLite, its own file beside the history's.
    public var pushSummary: String {
        driver == .sqlite ? "sqlite \(PushStoreFactory.sqlitePath(historyPath: path))" : summary
    }

    /// How the store is described at start-up (the URL without its password).
    public var summary: String {
        switch driver {
        case .sqlite: "sqlite \(path)"
        case .memory: "memory"
        case .postgres:
            "postgres " + url.replacing(/:[^:@\/]*@/, with: ":***@")
        }
    }
}
