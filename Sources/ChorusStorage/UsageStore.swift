/// Message counts per app and UTC day, kept so that a restart does not reset an app's daily
/// quota (`max_messages_per_day`). Nodes sharing a PostgreSQL database add to the same rows.
///
/// Every method applies whole or throws ``UsageStoreError`` having applied nothing.
public protocol UsageStore: Sendable {
    /// Adds each delta to its row (creating it at 0) and returns every row's total after the
    /// addition; a delta of 0 just reads the total, which may include other nodes' additions.
    func add(_ deltas: [UsageKey: Int]) async throws(UsageStoreError) -> [UsageKey: Int]

    func close() async
}

/// One row of a ``UsageStore``: an app and a UTC day (`2026-11-30`).
public struct UsageKey: Sendable, Hashable, CustomStringConvertible {
    public var appID: String
    /// The UTC day as `yyyy-MM-dd`.
    public var day: String

    public init(appID: String, day: String) {
        self.appID = appID
        self.day = day
    }

    public var description: String { "\(appID)@\(day)" }
}

/// Why the usage store could not count.
public struct UsageStoreError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension UsageStoreError: StoreError {}
