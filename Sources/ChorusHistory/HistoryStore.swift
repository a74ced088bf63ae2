/// Where retained messages, their versions and their annotations are kept.
///
/// Backends (`ChorusStorage`): memory, SQLite, PostgreSQL. Every method is atomic: it either
/// applies completely or throws ``HistoryStoreError`` having applied nothing (a 5xx to the API,
/// which the SDKs retry). Writes are durable when the method returns.
public protocol HistoryStore: Sendable {
    /// Retains the publishes, giving each the next history serial of its channel in the order
    /// given (gapless and ordered per channel even when several nodes share the store). Backends
    /// group concurrent calls into one transaction; returns once committed.
    func append(_ publishes: [RetainedPublish]) async throws(HistoryStoreError) -> [Int64]

    /// One page of a channel's history, latest visible state of each message.
    func history(_ request: HistoryPageRequest) async throws(HistoryStoreError) -> HistoryPage

    /// A message's latest visible state; nil when the channel has no such message.
    func message(_ channel: ChannelRef, serial: String) async throws(HistoryStoreError) -> StoredMessage?

    /// One page of a message's versions (the create included); nil when there is no such message.
    func versions(
        _ channel: ChannelRef,
        messageSerial: String,
        page: VersionPageRequest
    ) async throws(HistoryStoreError) -> VersionPage?

    /// Applies an update, delete or append to a message's latest state, atomically with its
    /// idempotency check.
    func mutate(_ mutation: MessageMutation) async throws(HistoryStoreError) -> MutationOutcome

    /// Appends an annotation create to a message's log; false when there is no such message.
    func addAnnotation(_ event: AnnotationEvent) async throws(HistoryStoreError) -> Bool

    /// Appends the delete of annotation `event.annotationSerial` to its message's log; the store
    /// copies `type`, `name`, `clientID` and `count` from that annotation's create, so replaying
    /// the log knows what the delete removes.
    func deleteAnnotation(_ event: AnnotationEvent) async throws(HistoryStoreError) -> AnnotationDeletion

    /// A message's annotation log in serial order, strictly after `afterSerial`, filtered;
    /// nil when there is no such message.
    func annotationEvents(_ query: AnnotationQuery) async throws(HistoryStoreError) -> [AnnotationEvent]?

    /// Drops an app's messages beyond the newest `maxMessages` of each channel and those
    /// published before `olderThanMs` (with their versions and annotations). Run by the
    /// retention sweep, never on the publish path. Returns how many messages went.
    func trim(appID: String, maxMessages: Int, olderThanMs: Int64) async throws(HistoryStoreError) -> Int

    /// Finishes pending writes and releases the backend.
    func close() async
}

/// A backend failure: nothing was applied.
public struct HistoryStoreError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Which way a page runs.
public enum PageDirection: String, Sendable, Hashable {
    case newestFirst = "newest_first"
    case oldestFirst = "oldest_first"
}

/// A positional page of history: strictly after `after` in `direction`, within the bounds.
public struct HistoryPageRequest: Sendable, Hashable {
    public var channel: ChannelRef
    public var direction: PageDirection
    public var limit: Int
    /// The history serial the previous page ended on (exclusive); nil for the first page.
    public var after: Int64?
    /// Inclusive history serial bounds.
    public var startSerial: Int64?
    public var endSerial: Int64?
    /// Inclusive `published_at_ms` bounds.
    public var startTimeMs: Int64?
    public var endTimeMs: Int64?

    public init(
        channel: ChannelRef,
        direction: PageDirection,
        limit: Int,
        after: Int64? = nil,
        startSerial: Int64? = nil,
        endSerial: Int64? = nil,
        startTimeMs: Int64? = nil,
        endTimeMs: Int64? = nil
    ) {
        self.channel = channel
        self.direction = direction
        self.limit = limit
        self.after = after
        self.startSerial = startSerial
        self.endSerial = endSerial
        self.startTimeMs = startTimeMs
        self.endTimeMs = endTimeMs
    }
}

public struct HistoryPage: Sendable, Hashable {
    public var items: [StoredMessage]
    /// Whether more items lie beyond the last one in this direction and bounds.
    public var hasMore: Bool
    /// The oldest history serial the channel still retains (nil when it retains none): a cursor
    /// pointing before it was overtaken by retention.
    public var oldestRetained: Int64?

    public init(items: [StoredMessage], hasMore: Bool, oldestRetained: Int64?) {
        self.items = items
        self.hasMore = hasMore
        self.oldestRetained = oldestRetained
    }
}

/// A positional page of a message's versions, by version number.
public struct VersionPageRequest: Sendable, Hashable {
    public var direction: PageDirection
    public var limit: Int
    /// The version number the previous page ended on (exclusive).
    public var after: Int?

    public init(direction: PageDirection, limit: Int, after: Int? = nil) {
        self.direction = direction
        self.limit = limit
        self.after = after
    }
}

public struct VersionPage: Sendable, Hashable {
    public var items: [StoredMessage]
    public var hasMore: Bool

    public init(items: [StoredMessage], hasMore: Bool) {
        self.items = items
        self.hasMore = hasMore
    }
}

/// An update, delete or append, with what the store needs to apply it atomically.
public struct MessageMutation: Sendable {
    public var channel: ChannelRef
    public var messageSerial: String
    public var action: MessageAction
    /// `idempotency_key` or `op_id`; scoped to the message and the action.
    public var idempotencyKey: String?
    /// A digest of the request body: same key with another fingerprint is a conflict.
    public var fingerprint: String
    /// Computes the new latest state and the version entry from the current latest state
    /// (pure; the store calls it inside its transaction).
    public var apply: @Sendable (StoredMessage) -> MutationEffect

    public init(
        channel: ChannelRef,
        messageSerial: String,
        action: MessageAction,
        idempotencyKey: String?,
        fingerprint: String,
        apply: @escaping @Sendable (StoredMessage) -> MutationEffect
    ) {
        self.channel = channel
        self.messageSerial = messageSerial
        self.action = action
        self.idempotencyKey = idempotencyKey
        self.fingerprint = fingerprint
        self.apply = apply
    }
}

/// What a mutation writes: the message's new latest state and its new version entry (the same,
/// except that an append's version carries only the fragment).
public struct MutationEffect: Sendable, Hashable {
    public var latest: StoredMessage
    public var version: StoredMessage

    public init(latest: StoredMessage, version: StoredMessage) {
        self.latest = latest
        self.version = version
    }
}

public enum MutationOutcome: Sendable, Hashable {
    /// Written: the new latest state and version entry.
    case applied(MutationEffect)
    /// The same key and body was applied before: that version, nothing written.
    case duplicate(StoredMessage)
    /// The key was used with another body.
    case conflict
    case messageNotFound
}

public enum AnnotationDeletion: Sendable, Hashable {
    /// The delete event was appended (as completed by the store).
    case deleted(AnnotationEvent)
    /// The annotation was deleted before: the earlier delete event, nothing written.
    case alreadyDeleted(AnnotationEvent)
    /// No such message, or the annotation belongs to another message.
    case notFound
}

public struct AnnotationQuery: Sendable, Hashable {
    public var channel: ChannelRef
    public var messageSerial: String
    /// Events strictly after this serial.
    public var afterSerial: String?
    public var type: String?
    public var clientID: String?
    /// At most this many events (the caller asks one more to learn `hasMore`).
    public var limit: Int

    public init(
        channel: ChannelRef,
        messageSerial: String,
        afterSerial: String? = nil,
        type: String? = nil,
        clientID: String? = nil,
        limit: Int
    ) {
        self.channel = channel
        self.messageSerial = messageSerial
        self.afterSerial = afterSerial
        self.type = type
        self.clientID = clientID
        self.limit = limit
    }
}
