/// One app as the app store keeps it: its id and key (unique each), whether it is enabled, and its
/// configuration as a JSON document the server reads (the storage layer never looks inside).
public struct StoredApp: Sendable, Hashable {
    public var id: String
    public var key: String
    public var enabled: Bool
    /// The app's entry as the configuration file spells it, in JSON.
    public var document: String
    /// When the app was last written, in milliseconds since 1970 (set by the store).
    public var updatedAtMs: Int64

    public init(id: String, key: String, enabled: Bool, document: String, updatedAtMs: Int64 = 0) {
        self.id = id
        self.key = key
        self.enabled = enabled
        self.document = document
        self.updatedAtMs = updatedAtMs
    }
}
