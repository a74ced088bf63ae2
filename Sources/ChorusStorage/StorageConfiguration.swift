import Foundation

/// The server's `storage` section: a driver and where its data lives.
public struct StorageConfiguration: Sendable, Hashable {
    /// Where `chorus serve` keeps history when nothing is configured (under the working directory).
    public static let defaultSQLitePath = "chorus-data/chorus.sqlite"

    public var driver: StorageDriver
    /// The SQLite file (created with its directory when missing); ``defaultSQLitePath`` when nil.
    public var path: String?
    /// `postgres://user[:password]@host[:port]/database`; required by the PostgreSQL driver.
    public var url: String?

    /// What an acknowledged append survives with the SQLite driver.
    public var sqliteDurability: SQLiteHistoryStore.Durability

    public init(
        driver: StorageDriver = .sqlite,
        path: String? = nil,
        url: String? = nil,
        sqliteDurability: SQLiteHistoryStore.Durability = .powerLoss
    ) {
        self.driver = driver
        self.path = path
        self.url = url
        self.sqliteDurability = sqliteDurability
    }

    /// The SQLite file of another store beside the history's: `-<suffix>` before the extension
    /// (`chorus.sqlite` → `chorus-push.sqlite`), so each store has a writer of its own.
    public static func sqlitePath(besideHistory historyPath: String, suffix: String) -> String {
        let url = URL(fileURLWithPath: historyPath)
        let stem = url.deletingPathExtension().lastPathComponent
        let pathExtension = url.pathExtension.isEmpty ? "" : ".\(url.pathExtension)"
        return url.deletingLastPathComponent().appendingPathComponent("\(stem)-\(suffix)\(pathExtension)").path
    }
}
