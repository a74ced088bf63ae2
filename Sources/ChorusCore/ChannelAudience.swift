import ChorusProtocol

/// The subscribers of one channel on one shard that do not simply take every frame: those with a
/// tag filter and those that take deltas. Subscribers without either stay in the channel's
/// ``SubscriberList`` and the broadcast fast path.
///
/// Subscribers are grouped by filter, so an event costs one evaluation per distinct filter, not per
/// subscriber; groups whose filter is a single `eq`/`in` leaf are not evaluated at all but found by
/// the event's `(key, value)` tags, and groups whose filter only lists event names are found by the
/// event's name. Nothing here allocates while an event is routed.
final class ChannelAudience {
    /// The subscribers sharing one filter (or none), split by whether they take deltas and which.
    final class Group {
        let filter: CompiledTagFilter?
        let plain = SubscriberList()
        /// Subscribers taking deltas, one list per algorithm (``DeltaAlgorithm/allCases`` order).
        let deltas = DeltaAlgorithm.allCases.map { _ in DeltaSubscriberList() }

        init(filter: CompiledTagFilter?) {
            self.filter = filter
        }

        var isEmpty: Bool { plain.isEmpty && deltas.allSatisfy(\.isEmpty) }

        func deltas(_ algorithm: DeltaAlgorithm) -> DeltaSubscriberList {
            deltas[DeltaAlgorithm.allCases.firstIndex(of: algorithm)!]
        }

        /// The algorithm `slot` takes deltas in, if it does.
        func algorithm(of slot: UInt32) -> DeltaAlgorithm? {
            DeltaAlgorithm.allCases.first { deltas($0).contains(slot) }
        }
    }

    private var groups: [CompiledTagFilter?: Group] = [:]
    private var groupOfSlot: [UInt32: Group] = [:]
    /// Groups of indexable filters by the tags that select them.
    private var indexed: [TagPair: [Group]] = [:]
    /// Groups of filters that only list event names, by those names.
    private var byEventName: [NameKey: [Group]] = [:]
    /// Groups whose filter is evaluated for every event.
    private var evaluated: [Group] = []
    private var unfiltered: Group?

    init() {}

    var count: Int { groupOfSlot.count }
    var isEmpty: Bool { groupOfSlot.isEmpty }

    func contains(_ slot: UInt32) -> Bool { groupOfSlot[slot] != nil }

    /// Adds `slot` with `filter` (or none), taking deltas of `delta` or none — holding every
    /// conflation key's base when it was sent a cache sync at sequence `syncedAt`; returns `false`
    /// if it was there.
    @discardableResult
    func insert(_ slot: UInt32, filter: CompiledTagFilter?, delta: DeltaAlgorithm?, syncedAt: UInt64? = nil) -> Bool {
        guard groupOfSlot[slot] == nil else { return false }
        let group = groups[filter] ?? makeGroup(filter)
        if let delta { group.deltas(delta).insert(slot, syncedAt: syncedAt) } else { group.plain.insert(slot) }
        groupOfSlot[slot] = group
        return true
    }

    private func makeGroup(_ filter: CompiledTagFilter?) -> Group {
        let group = Group(filter: filter)
        groups[filter] = group
        if let filter {
            if let pairs = filter.indexablePairs {
                for pair in Set(pairs) { indexed[pair, default: []].append(group) }
            } else if let names = filter.indexableEventNames {
                for name in names { byEventName[NameKey(name), default: []].append(group) }
            } else {
                evaluated.append(group)
            }
        } else {
            unfiltered = group
        }
        return group
    }

    /// Removes `slot`; returns its filter and the algorithm of its deltas, or `nil` if it was not here.
    @discardableResult
    func remove(_ slot: UInt32) -> (filter: CompiledTagFilter?, delta: DeltaAlgorithm?)? {
        guard let group = groupOfSlot.removeValue(forKey: slot) else { return nil }
        let algorithm = group.algorithm(of: slot)
        if let algorithm { group.deltas(algorithm).remove(slot) } else { group.plain.remove(slot) }
        if group.isEmpty { dropGroup(group) }
        return (group.filter, algorithm)
    }

    private func dropGroup(_ group: Group) {
        groups[group.filter] = nil
        guard let filter = group.filter else {
            unfiltered = nil
            return
        }
        if let pairs = filter.indexablePairs {
            for pair in Set(pairs) {
                indexed[pair]?.removeAll { $0 === group }
                if indexed[pair]?.isEmpty == true { indexed[pair] = nil }
            }
        } else if let names = filter.indexableEventNames {
            for name in names.map(NameKey.init) {
                byEventName[name]?.removeAll { $0 === group }
                if byEventName[name]?.isEmpty == true { byEventName[name] = nil }
            }
        } else {
            evaluated.removeAll { $0 === group }
        }
    }

    /// Forgets the delta base of `slot` (`pusher:delta_sync_error`).
    func resetDeltaBase(_ slot: UInt32) {
        guard let group = groupOfSlot[slot], let algorithm = group.algorithm(of: slot) else { return }
        group.deltas(algorithm).resetBase(slot)
    }

    /// The algorithm of the deltas `slot` takes, if it is here and takes any.
    func deltaAlgorithm(of slot: UInt32) -> DeltaAlgorithm? {
        groupOfSlot[slot]?.algorithm(of: slot)
    }

    /// Calls `body` with every group whose filter an event with `tags` passes, each once.
    func forEachMatchingGroup(_ tags: EventTags?, _ body: (Group) -> Void) {
        if let unfiltered { body(unfiltered) }
        let tags = tags ?? EventTags.empty
        if !indexed.isEmpty {
            for (key, value) in tags.values {
                guard let groups = indexed[TagPair(key: key, value: value)] else { continue }
                for group in groups { body(group) }
            }
        }
        if !byEventName.isEmpty, let name = tags.name, let groups = byEventName[NameKey(name)] {
            for group in groups { body(group) }
        }
        for group in evaluated where group.filter!.matches(tags) { body(group) }
    }
}

@available(*, unavailable)
extension ChannelAudience: Sendable {}

extension ChannelAudience {
    /// An event name as a key compared byte for byte, as filters compare names (a `String` key
    /// would take canonically equivalent spellings for one name).
    struct NameKey: Hashable {
        let name: String

        init(_ name: String) {
            self.name = name
        }

        static func == (lhs: NameKey, rhs: NameKey) -> Bool { lhs.name.utf8.elementsEqual(rhs.name.utf8) }

        func hash(into hasher: inout Hasher) {
            for byte in name.utf8 { hasher.combine(byte) }
        }
    }
}
