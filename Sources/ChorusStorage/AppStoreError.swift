/// Why the app store could not answer or change anything.
public struct AppStoreError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// Whether the write was refused because another app already has the key.
    public var isDuplicateKey = false

    public init(_ description: String) {
        self.description = description
    }

    /// Another app, `holder`, already has `key`.
    static func duplicateKey(_ key: String, holder: String) -> AppStoreError {
        var error = AppStoreError("key '\(key)' is already used by app '\(holder)'")
        error.isDuplicateKey = true
        return error
    }
}

extension AppStoreError: StoreError {}
