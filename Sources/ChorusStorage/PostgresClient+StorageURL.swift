import Foundation
import PostgresNIO

extension PostgresClient.Configuration {
    /// What `storage.url` must look like, for the error when it does not.
    static let storageURLShape = "storage.url must look like postgres://user@host:port/database"

    /// The client configuration of `storage.url` (`postgres://user[:password]@host[:port]/database`,
    /// no TLS: the database is on a private network); nil when `url` is not one.
    init?(storageURL url: String) {
        guard let components = URLComponents(string: url),
            components.scheme == "postgres" || components.scheme == "postgresql",
            let host = components.host, !host.isEmpty
        else { return nil }
        let database = String(components.path.drop { $0 == "/" })
        self.init(
            host: host,
            port: components.port ?? 5432,
            username: components.user ?? "postgres",
            password: components.password,
            database: database.isEmpty ? nil : database,
            tls: .disable
        )
    }
}
