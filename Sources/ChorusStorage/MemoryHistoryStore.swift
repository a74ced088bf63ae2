public import ChorusHistory
import Synchronization

/// Everything in memory, behind one lock: the `driver: memory` store (tests, benchmarks).
///
/// Each call runs whole under the lock, so each is atomic and calls are serialized; nothing
/// survives the process.
public final class MemoryHistoryStore: HistoryStore {
    private struct Message {
        var latest: StoredMessage
        var versions: [StoredMessage]
        /// Idempotency keys of applied mutations, by `action:key`: the fingerprint and the version.
        var operations: [String: (fingerprint: String, version: StoredMessage)] = [:]
        /// The annotation log in serial order.
        var annotations: [AnnotationEvent] = []
    }

    private struct Channel {
        /// Retained messages in history-serial order.
        var order: [String] = []
        var serials: [Int64] = []
        var messages: [String: Message] = [:]
        var lastSerial: Int64 = 0

        /// The index of the first retained message with a history serial ≥ `serial`.
        func index(atLeast serial: Int64) -> Int {
            var low = 0
            var high = serials.count
            while low < high {
                let middle = (low + high) / 2
                if serials[middle] < serial { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    private struct ChannelMessage: Hashable {
        var channel: ChannelRef
        var serial: String
    }

    private let channels = Mutex<[ChannelRef: Channel]>([:])

    public init() {}

    public func append(_ publishes: [RetainedPublish]) async throws(HistoryStoreError) -> [Int64] {
        try channels.withLock { (channels) throws(HistoryStoreError) -> [Int64] in
            // A message serial is retained once per channel; a repeat fails the call, applying nothing.
            var incoming = Set<ChannelMessage>()
            for publish in publishes {
                let key = ChannelMessage(channel: publish.channel, serial: publish.messageSerial)
                guard channels[publish.channel]?.messages[publish.messageSerial] == nil, incoming.insert(key).inserted
                else { throw HistoryStoreError("message \(publish.messageSerial) is already retained") }
            }
            return publishes.map { publish in
                var channel = channels.removeValue(forKey: publish.channel) ?? Channel()
                channel.lastSerial += 1
                let message = StoredMessage(
                    channel: publish.channel,
                    messageSerial: publish.messageSerial,
                    historySerial: channel.lastSerial,
                    publishedAtMs: publish.publishedAtMs,
                    name: publish.name,
                    data: publish.data,
                    action: .create,
                    versionNumber: 1,
                    version: MessageVersionInfo(serial: publish.messageSerial, timestampMs: publish.publishedAtMs)
                )
                channel.order.append(publish.messageSerial)
                channel.serials.append(channel.lastSerial)
                channel.messages[publish.messageSerial] = Message(latest: message, versions: [message])
                channels[publish.channel] = channel
                return message.historySerial
            }
        }
    }

    public func history(_ request: HistoryPageRequest) async throws(HistoryStoreError) -> HistoryPage {
        channels.withLock { channels in
            guard let channel = channels[request.channel] else {
                return HistoryPage(items: [], hasMore: false, oldestRetained: nil)
            }
            let bounds = request.bounds
            var low = channel.index(atLeast: max(bounds.startSerial ?? 0, 0))
            var high = channel.index(atLeast: (bounds.endSerial ?? Int64.max - 1) + 1)
            if let after = request.after {
                switch request.direction {
                case .oldestFirst: low = max(low, channel.index(atLeast: after + 1))
                case .newestFirst: high = min(high, channel.index(atLeast: after))
                }
            }
            var items: [StoredMessage] = []
            var hasMore = false
            let step = request.direction == .oldestFirst ? 1 : -1
            var index = request.direction == .oldestFirst ? low : high - 1
            while index >= low, index < high {
                let message = channel.messages[channel.order[index]]!.latest
                index += step
                guard bounds.contains(serial: message.historySerial, publishedAtMs: message.publishedAtMs) else {
                    continue
                }
                if items.count == request.limit {
                    hasMore = true
                    break
                }
                items.append(message)
            }
            return HistoryPage(items: items, hasMore: hasMore, oldestRetained: channel.serials.first)
        }
    }

    public func message(_ channel: ChannelRef, serial: String) async throws(HistoryStoreError) -> StoredMessage? {
        channels.withLock { $0[channel]?.messages[serial]?.latest }
    }

    public func versions(
        _ channel: ChannelRef,
        messageSerial: String,
        page: VersionPageRequest
    ) async throws(HistoryStoreError) -> VersionPage? {
        channels.withLock { channels in
            guard let versions = channels[channel]?.messages[messageSerial]?.versions else { return nil }
            let ordered = page.direction == .oldestFirst ? versions : versions.reversed()
            let remaining = ordered.filter { version in
                guard let after = page.after else { return true }
                return page.direction == .oldestFirst ? version.versionNumber > after : version.versionNumber < after
            }
            return VersionPage(items: Array(remaining.prefix(page.limit)), hasMore: remaining.count > page.limit)
        }
    }

    public func mutate(_ mutation: MessageMutation) async throws(HistoryStoreError) -> MutationOutcome {
        channels.withLock { channels in
            guard var message = channels[mutation.channel]?.messages[mutation.messageSerial] else {
                return .messageNotFound
            }
            let operation = mutation.idempotencyKey.map { "\(mutation.action.rawValue):\($0)" }
            if let operation, let earlier = message.operations[operation] {
                return earlier.fingerprint == mutation.fingerprint ? .duplicate(earlier.version) : .conflict
            }
            let effect = mutation.apply(message.latest)
            message.latest = effect.latest
            message.versions.append(effect.version)
            if let operation { message.operations[operation] = (mutation.fingerprint, effect.version) }
            channels[mutation.channel]!.messages[mutation.messageSerial] = message
            return .applied(effect)
        }
    }

    public func addAnnotation(_ event: AnnotationEvent) async throws(HistoryStoreError) -> Bool {
        channels.withLock { channels in
            guard channels[event.channel]?.messages[event.messageSerial] != nil else { return false }
            channels[event.channel]!.messages[event.messageSerial]!.annotations.insertInOrder(event)
            return true
        }
    }

    public func deleteAnnotation(_ event: AnnotationEvent) async throws(HistoryStoreError) -> AnnotationDeletion {
        channels.withLock { channels in
            guard let log = channels[event.channel]?.messages[event.messageSerial]?.annotations,
                let created = log.first(where: { $0.action == .create && $0.serial == event.annotationSerial })
            else { return .notFound }
            if let earlier = log.first(where: { $0.action == .delete && $0.annotationSerial == event.annotationSerial })
            {
                return .alreadyDeleted(earlier)
            }
            var completed = event
            completed.action = .delete
            completed.type = created.type
            completed.name = created.name
            completed.clientID = created.clientID
            completed.count = created.count
            channels[event.channel]!.messages[event.messageSerial]!.annotations.insertInOrder(completed)
            return .deleted(completed)
        }
    }

    public func annotationEvents(_ query: AnnotationQuery) async throws(HistoryStoreError) -> [AnnotationEvent]? {
        channels.withLock { channels in
            guard let log = channels[query.channel]?.messages[query.messageSerial]?.annotations else { return nil }
            let matching = log.lazy.filter { event in
                (query.afterSerial.map { event.serial > $0 } ?? true) && (query.type.map { event.type == $0 } ?? true)
                    && (query.clientID.map { event.clientID == $0 } ?? true)
            }
            return Array(matching.prefix(query.limit))
        }
    }

    public func trim(appID: String, maxMessages: Int, olderThanMs: Int64) async throws(HistoryStoreError) -> Int {
        channels.withLock { channels in
            var removed = 0
            for key in channels.keys where key.appID == appID {
                var channel = channels[key]!
                let excess = max(0, channel.order.count - maxMessages)
                let keep = channel.order.indices.filter { index in
                    index >= excess && channel.messages[channel.order[index]]!.latest.publishedAtMs >= olderThanMs
                }
                guard keep.count < channel.order.count else { continue }
                let kept = Set(keep.map { channel.order[$0] })
                for serial in channel.order where !kept.contains(serial) { channel.messages[serial] = nil }
                removed += channel.order.count - keep.count
                channel.serials = keep.map { channel.serials[$0] }
                channel.order = keep.map { channel.order[$0] }
                channels[key] = channel
            }
            return removed
        }
    }

    public func close() async {}
}

extension Array where Element == AnnotationEvent {
    /// Inserts `event` keeping the log in serial order (it is almost always the last).
    fileprivate mutating func insertInOrder(_ event: AnnotationEvent) {
        var index = endIndex
        while index > startIndex, self[index - 1].serial > event.serial { index -= 1 }
        insert(event, at: index)
    }
}
