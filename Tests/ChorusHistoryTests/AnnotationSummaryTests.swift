import ChorusHistory
import ChorusProtocol
import Testing

@Suite("Annotation summaries: the log replayed per summarizer")
struct AnnotationSummaryTests {
    /// A log where each step is create (`+`) or delete (`-`) of annotation `id`, by `client`, in `name`.
    func log(_ type: String, _ steps: [(Character, String, String?, String?, Int?)]) -> [AnnotationEvent] {
        steps.enumerated().map { index, step in
            AnnotationEvent(
                serial: "s\(1000 + index)",
                channel: ChannelRef(appID: "1", channel: "c"),
                messageSerial: "m",
                action: step.0 == "+" ? .create : .delete,
                annotationSerial: step.1,
                type: type,
                name: step.3,
                clientID: step.2,
                count: step.4,
                timestampMs: Int64(index)
            )
        }
    }

    @Test("total counts creates minus deletes")
    func total() {
        let events = log(
            "r:total.v1",
            [("+", "a", nil, nil, nil), ("+", "b", nil, nil, nil), ("-", "a", nil, nil, nil)]
        )
        #expect(AnnotationSummary.summaries(of: events) == ["r:total.v1": ["total": 1]])
    }

    @Test("flag counts each client once, sorted; a delete removes the client")
    func flag() {
        let events = log(
            "r:flag.v1",
            [
                ("+", "a", "u2", nil, nil), ("+", "b", "u1", nil, nil), ("+", "c", "u2", nil, nil),
                ("+", "d", "u3", nil, nil),
                ("-", "d", "u3", nil, nil),
            ]
        )
        #expect(
            AnnotationSummary.summary(of: events, summarizer: .flag)
                == ["total": 2, "clientIds": ["u1", "u2"], "clipped": false]
        )
    }

    @Test("distinct counts a client once per name; emptied names vanish")
    func distinct() {
        let events = log(
            "r:distinct.v1",
            [
                ("+", "a", "u1", "👍", nil), ("+", "b", "u2", "👍", nil), ("+", "c", "u1", "👍", nil),
                ("+", "d", "u1", "❤️", nil), ("-", "d", "u1", "❤️", nil),
            ]
        )
        #expect(
            AnnotationSummary.summary(of: events, summarizer: .distinct)
                == ["👍": ["total": 2, "clientIds": ["u1", "u2"], "clipped": false]]
        )
    }

    @Test("unique keeps one name per client, the latest")
    func unique() {
        let events = log(
            "r:unique.v1",
            [
                ("+", "a", "u1", "yes", nil), ("+", "b", "u2", "yes", nil), ("+", "c", "u1", "no", nil),
                ("+", "d", "u3", "maybe", nil), ("-", "d", "u3", "maybe", nil),
            ]
        )
        #expect(
            AnnotationSummary.summary(of: events, summarizer: .unique)
                == [
                    "yes": ["total": 1, "clientIds": ["u2"], "clipped": false],
                    "no": ["total": 1, "clientIds": ["u1"], "clipped": false],
                ]
        )
    }

    @Test("multiple sums counts per client and unidentified; a delete drops that client's counts")
    func multiple() {
        let events = log(
            "r:multiple.v1",
            [
                ("+", "a", "u1", "up", 2), ("+", "b", "u1", "up", nil), ("+", "c", "u2", "up", 5),
                ("+", "d", nil, "up", 4),
                ("-", "c", "u2", "up", 5), ("+", "e", "u3", "down", 1), ("-", "e", "u3", "down", 1),
            ]
        )
        #expect(
            AnnotationSummary.summary(of: events, summarizer: .multiple)
                == [
                    "up": [
                        "total": 7, "clientCounts": ["u1": 3], "totalUnidentified": 4, "clipped": false,
                        "totalClientIds": 1,
                    ]
                ]
        )
    }
}
