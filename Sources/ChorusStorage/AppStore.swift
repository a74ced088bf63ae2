/// Apps kept in a database instead of (or besides) the configuration file, so that they can be
/// added, changed and disabled while the nodes run (`app_store` in the server configuration).
///
/// Every method applies whole or throws ``AppStoreError`` having applied nothing.
public protocol AppStore: Sendable {
    /// Every app, by id.
    func all() async throws(AppStoreError) -> [StoredApp]

    func app(id: String) async throws(AppStoreError) -> StoredApp?

    /// Creates or replaces the app with `app.id`, stamping it with the current time; throws
    /// ``AppStoreError/isDuplicateKey`` when another app has `app.key`.
    func upsert(_ app: StoredApp) async throws(AppStoreError)

    /// Removes the app; false when there was none.
    func remove(id: String) async throws(AppStoreError) -> Bool

    func close() async
}
