public import ChorusProtocol

/// A message's annotation summaries: its annotation log replayed through each type's summarizer.
///
/// - total: `{"total":n}`, +1 per create, −1 per delete.
/// - flag: `{"total","clientIds","clipped"}`, each client once; a delete removes the client.
/// - distinct: `{name:{"total","clientIds","clipped"}}`, a client once per name; a delete removes
///   that client from that name.
/// - unique: as distinct, but a client is in one name only (its latest create wins).
/// - multiple: `{name:{"total","clientCounts","totalUnidentified","clipped","totalClientIds"}}`,
///   counts summed (1 when absent); a delete drops that client's counts for that name, or the
///   deleted annotation's count from the unidentified total.
///
/// Names left empty vanish; client ids are sorted; nothing is ever clipped.
public enum AnnotationSummary {
    /// The summary of every type in `events` (a log in serial order), keyed by type.
    public static func summaries(of events: [AnnotationEvent]) -> [String: JSONValue] {
        var byType: [String: [AnnotationEvent]] = [:]
        for event in events { byType[event.type, default: []].append(event) }
        var result: [String: JSONValue] = [:]
        for (text, events) in byType {
            guard let type = AnnotationType(text) else { continue }
            result[text] = summary(of: events, summarizer: type.summarizer)
        }
        return result
    }

    /// The summary of one type's events.
    public static func summary(of events: [AnnotationEvent], summarizer: AnnotationType.Summarizer) -> JSONValue {
        switch summarizer {
        case .total:
            let total = events.reduce(0) { $0 + ($1.action == .create ? 1 : -1) }
            return ["total": .integer(Int64(max(total, 0)))]
        case .flag:
            var clients: Set<String> = []
            for event in events {
                guard let client = event.clientID else { continue }
                if event.action == .create { clients.insert(client) } else { clients.remove(client) }
            }
            return clientSet(clients)
        case .distinct:
            var names: [String: Set<String>] = [:]
            for event in events {
                guard let name = event.name, let client = event.clientID else { continue }
                if event.action == .create {
                    names[name, default: []].insert(client)
                } else {
                    names[name]?.remove(client)
                }
            }
            return .object(names.filter { !$0.value.isEmpty }.mapValues(clientSet))
        case .unique:
            var nameOfClient: [String: String] = [:]
            for event in events {
                guard let name = event.name, let client = event.clientID else { continue }
                if event.action == .create {
                    nameOfClient[client] = name
                } else if nameOfClient[client] == name {
                    nameOfClient[client] = nil
                }
            }
            let names = Dictionary(grouping: nameOfClient.keys, by: { nameOfClient[$0]! }).mapValues(Set.init)
            return .object(names.mapValues(clientSet))
        case .multiple:
            return multiple(events)
        }
    }

    private static func clientSet(_ clients: Set<String>) -> JSONValue {
        [
            "total": .integer(Int64(clients.count)),
            "clientIds": .array(clients.sorted().map { .string($0) }),
            "clipped": false,
        ]
    }

    private static func multiple(_ events: [AnnotationEvent]) -> JSONValue {
        struct Tally {
            var clientCounts: [String: Int] = [:]
            var unidentified = 0
            var total: Int { clientCounts.values.reduce(unidentified, +) }
        }
        var names: [String: Tally] = [:]
        for event in events {
            guard let name = event.name else { continue }
            let count = event.count ?? 1
            switch (event.action, event.clientID) {
            case (.create, let client?): names[name, default: Tally()].clientCounts[client, default: 0] += count
            case (.create, nil): names[name, default: Tally()].unidentified += count
            case (.delete, let client?): names[name]?.clientCounts[client] = nil
            case (.delete, nil):
                if let unidentified = names[name]?.unidentified {
                    names[name]?.unidentified = max(0, unidentified - count)
                }
            }
        }
        return .object(
            names.filter { $0.value.total > 0 }.mapValues { tally in
                [
                    "total": .integer(Int64(tally.total)),
                    "clientCounts": .object(tally.clientCounts.mapValues { .integer(Int64($0)) }),
                    "totalUnidentified": .integer(Int64(tally.unidentified)),
                    "clipped": false,
                    "totalClientIds": .integer(Int64(tally.clientCounts.count)),
                ]
            }
        )
    }
}
