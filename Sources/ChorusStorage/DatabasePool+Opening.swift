import Foundation
import GRDB

extension DatabasePool {
    /// The SQLite database at `path` (created, with its directory, if needed), its `synchronous`
    /// mode set from `durability` when given, brought up to date by `migrator`: how every SQLite
    /// store opens its file.
    static func opening(
        path: String,
        durability: SQLiteHistoryStore.Durability?,
        migrator: DatabaseMigrator
    ) throws -> DatabasePool {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        if let durability {
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = \(durability.rawValue.uppercased())")
            }
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        try migrator.migrate(pool)
        return pool
    }
}
