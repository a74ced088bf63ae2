public import ChorusStorage
public import Logging

/// Where apps besides the configuration file's are kept: `app_store: {driver, path, url,
/// refresh_seconds}`. Off by default; `chorus apps` writes the store and every node re-reads it.
public struct AppStoreSettings: Sendable, Hashable, Codable, ConfigurationSection {
    /// Which database holds the apps (`app_store.driver`).
    public enum Driver: String, Sendable, Hashable, Codable, CaseIterable {
        /// No app store: the configuration file's apps only.
        case none
        /// A SQLite file (`app_store.path`) on the node's disk: one node.
        case sqlite
        /// A PostgreSQL database (`app_store.url`) every node of a cluster reads.
        case postgres
    }

    public var driver: Driver = .none
    /// The SQLite file, relative to the working directory unless absolute.
    public var path: String = "chorus-data/chorus-apps.sqlite"
    /// `postgres://user:password@host:port/database` for the postgres driver.
    public var url: String = ""
    /// Seconds between two reads of the store: how soon a change reaches a running node.
    public var refreshSeconds: Double = 2

    public init() {}

    /// The apps in the SQLite file at `path`.
    public static func sqlite(_ path: String) -> AppStoreSettings {
        var settings = AppStoreSettings()
        settings.driver = .sqlite
        settings.path = path
        return settings
    }

    /// The apps in the PostgreSQL database at `url`.
    public static func postgres(_ url: String) -> AppStoreSettings {
        var settings = AppStoreSettings()
        settings.driver = .postgres
        settings.url = url
        return settings
    }

    package static var settings: [ConfigurationSetting<Self>] {
        [
            .value("driver", \.driver),
            .value("path", \.path),
            .value("url", \.url),
            .value("refresh_seconds", \.refreshSeconds) { seconds in
                (0.01...3600).contains(seconds) ? [] : ["must be between 0.01 and 3600, got \(seconds)"]
            },
        ]
    }

    public init(from decoder: any Decoder) throws {
        try decodeSettings(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try encodeSettings(to: encoder)
    }

    /// Whether a store is configured.
    public var isEnabled: Bool { driver != .none }

    /// Problems that keep the store from opening, each naming its field (the rules of the table
    /// are checked with the other sections').
    var problems: [String] {
        switch driver {
        case .sqlite where path.isEmpty: ["app_store.path must name the SQLite file for driver sqlite"]
        case .postgres where !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")):
            ["app_store.url must be a postgres:// URL for driver postgres"]
        default: []
        }
    }

    /// Opens the store (nil for driver `none`), creating its table if needed.
    public func open(logger: Logger) async throws(AppStoreError) -> (any AppStore)? {
        switch driver {
        case .none: nil
        case .sqlite: try SQLiteAppStore(path: path)
        case .postgres: try await PostgresAppStore(url: url, logger: logger)
        }
    }

    /// How the store is described (the URL without its password).
    public var summary: String {
        switch driver {
        case .none: "none"
        case .sqlite: "sqlite \(path)"
        case .postgres: "postgres " + url.replacing(/:[^:@\/]*@/, with: ":***@")
        }
    }
}
