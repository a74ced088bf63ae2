import ChorusProtocol
import Testing

@Suite("Subscription filters: the three forms of subscribe data")
struct SubscriptionPredicateTests {
    static let btc = TagFilter.compare(key: "symbol", comparison: .eq, values: ["BTC"])

    /// The filter of subscribe data `text`, or `nil` when it has none.
    private func filter(ofSubscribeData text: String) throws -> SubscriptionPredicate? {
        let data = try JSONValue(parsing: text)
        guard let (member, json) = SubscriptionPredicate.member(of: data) else { return nil }
        return try SubscriptionPredicate(json: json, path: member)
    }

    /// The error message for subscribe data `text`.
    private func refusal(_ text: String) throws -> String? {
        do {
            _ = try filter(ofSubscribeData: text)
            return nil
        } catch let error as TagFilterError {
            return error.message
        }
    }

    @Test("a bare tree under filter is a tag filter, as before")
    func bareTree() throws {
        let parsed = try filter(ofSubscribeData: #"{"channel":"c","filter":{"key":"symbol","cmp":"eq","val":"BTC"}}"#)
        #expect(parsed == SubscriptionPredicate(tags: Self.btc))
    }

    @Test("tags_filter holds the same tree")
    func tagsFilter() throws {
        let parsed = try filter(
            ofSubscribeData: #"{"channel":"c","tags_filter":{"key":"symbol","cmp":"eq","val":"BTC"}}"#
        )
        #expect(parsed == SubscriptionPredicate(tags: Self.btc))
    }

    @Test("the compound form: events, tags or both")
    func compound() throws {
        let both = try filter(
            ofSubscribeData:
                #"{"channel":"c","filter":{"events":["trade","quote","trade"],"tags":{"key":"symbol","cmp":"eq","val":"BTC"}}}"#
        )
        #expect(both == SubscriptionPredicate(events: ["quote", "trade"], tags: Self.btc))
        #expect(both?.events == ["quote", "trade"])
        let events = try filter(ofSubscribeData: #"{"channel":"c","filter":{"events":["trade"]}}"#)
        #expect(events == SubscriptionPredicate(events: ["trade"]))
        let tags = try filter(
            ofSubscribeData: #"{"channel":"c","filter":{"tags":{"key":"symbol","cmp":"eq","val":"BTC"}}}"#
        )
        #expect(tags == SubscriptionPredicate(tags: Self.btc))
        let compoundUnderTagsFilter = try filter(
            ofSubscribeData: #"{"channel":"c","tags_filter":{"events":["trade"]}}"#
        )
        #expect(compoundUnderTagsFilter == SubscriptionPredicate(events: ["trade"]))
    }

    @Test("an empty events list, null members and null filters admit everything or give no filter")
    func admittingEverything() throws {
        #expect(try filter(ofSubscribeData: #"{"channel":"c"}"#) == nil)
        #expect(try filter(ofSubscribeData: #"{"channel":"c","filter":null,"tags_filter":null}"#) == nil)
        #expect(try filter(ofSubscribeData: #"{"channel":"c","filter":{"events":[]}}"#)?.admitsEverything == true)
        #expect(
            try filter(ofSubscribeData: #"{"channel":"c","filter":{"events":null,"tags":null}}"#)?.admitsEverything
                == true
        )
    }

    @Test("with both members filter is read and tags_filter ignored; a null filter falls back to tags_filter")
    func bothMembers() throws {
        let both = try filter(
            ofSubscribeData:
                #"{"channel":"c","filter":{"events":["trade"]},"tags_filter":{"key":"symbol","cmp":"eq","val":"ETH"}}"#
        )
        #expect(both == SubscriptionPredicate(events: ["trade"]))
        let fallback = try filter(
            ofSubscribeData: #"{"channel":"c","filter":null,"tags_filter":{"key":"symbol","cmp":"eq","val":"BTC"}}"#
        )
        #expect(fallback == SubscriptionPredicate(tags: Self.btc))
        let data = try JSONValue(parsing: #"{"filter":null,"tags_filter":{"events":["a"]}}"#)
        #expect(SubscriptionPredicate.member(of: data)?.name == "tags_filter")
    }

    @Test(
        "refusals name the member and the problem",
        arguments: [
            (#"{"filter":[]}"#, "filter: must be an object"),
            (#"{"tags_filter":"x"}"#, "tags_filter: must be an object"),
            (#"{"filter":{}}"#, "filter.key: a leaf needs a non-empty string key"),
            (
                #"{"filter":{"key":"a","cmp":"ex","events":["e"]}}"#,
                "filter.events: a filter tree (with 'op' or 'key') cannot also have events, tags or expression"
            ),
            (#"{"filter":{"op":"and","nodes":[{"key":"a","cmp":"ex"}],"tags":null}}"#, "filter.tags: a filter tree"),
            (#"{"filter":{"events":"trade"}}"#, "filter.events: must be an array of event names"),
            (#"{"filter":{"events":["a","b",""]}}"#, "filter.events[2]: must be a non-empty string"),
            (#"{"filter":{"events":["a",7]}}"#, "filter.events[1]: must be a non-empty string"),
            (#"{"tags_filter":{"events":[null]}}"#, "tags_filter.events[0]: must be a non-empty string"),
            (#"{"filter":{"tags":{"key":"a","cmp":"like","val":"x"}}}"#, "filter.tags.cmp: unknown comparison 'like'"),
            (
                #"{"filter":{"events":["a"],"tags":{"op":"or","nodes":[{"key":"a","cmp":"ex"},{"key":"","cmp":"ex"}]}}}"#,
                "filter.tags.nodes[1].key: a leaf needs a non-empty string key"
            ),
            (#"{"tags_filter":{"key":"a","cmp":"in","vals":[]}}"#, "tags_filter.vals: 'in' needs a non-empty array"),
            (
                #"{"filter":{"events":["a"],"expression":"data.total >= `100`"}}"#,
                "filter.expression: expression filters are not supported"
            ),
            (
                #"{"filter":{"expression":{"language":"jmespath","source":"a"}}}"#,
                "filter.expression: expression filters"
            ),
        ]
    )
    func refused(text: String, expected: String) throws {
        let message = try #require(try refusal(text))
        #expect(message.hasPrefix(expected), "got: \(message)")
    }

    @Test("at most 50 event names: 50 pass, 51 are refused")
    func eventCountLimit() throws {
        func data(_ count: Int) -> String {
            let names = (0..<count).map { "\"e\($0)\"" }.joined(separator: ",")
            return #"{"filter":{"events":["# + names + "]}}"
        }
        #expect(try filter(ofSubscribeData: data(SubscriptionPredicate.maximumEvents))?.events.count == 50)
        #expect(try refusal(data(SubscriptionPredicate.maximumEvents + 1)) == "filter.events: more than 50 event names")
    }

    @Test("event names of up to 200 bytes: 200 pass, 201 are refused, counted in UTF-8 bytes")
    func eventNameLength() throws {
        func data(_ name: String) -> String { #"{"filter":{"events":["ok",""# + name + #""]}}"# }
        let longest = String(repeating: "e", count: SubscriptionPredicate.maximumEventNameBytes)
        #expect(try filter(ofSubscribeData: data(longest))?.events.contains(longest) == true)
        #expect(try refusal(data(longest + "e")) == "filter.events[1]: longer than 200 bytes")
        // 100 two-byte characters are 200 bytes; one more is 202.
        #expect(try filter(ofSubscribeData: data(String(repeating: "é", count: 100))) != nil)
        #expect(try refusal(data(String(repeating: "é", count: 101))) == "filter.events[1]: longer than 200 bytes")
    }

    @Test("the node limit of a tree names its member")
    func nodeLimitPath() throws {
        let leaves = (0..<TagFilter.maximumNodes).map { _ in #"{"key":"a","cmp":"ex"}"# }.joined(separator: ",")
        let text = #"{"filter":{"events":["e"],"tags":{"op":"or","nodes":["# + leaves + "]}}}"
        #expect(try refusal(text) == "filter.tags: more than 64 nodes")
    }

    @Test("matching: the name must be listed and the tags must pass, each only when given")
    func matching() {
        let both = SubscriptionPredicate(events: ["trade"], tags: Self.btc)
        #expect(both.matches(event: "trade", tags: ["symbol": "BTC"]))
        #expect(!both.matches(event: "quote", tags: ["symbol": "BTC"]))
        #expect(!both.matches(event: "trade", tags: ["symbol": "ETH"]))
        let names = SubscriptionPredicate(events: ["trade", "quote"])
        #expect(names.matches(event: "quote", tags: [:]))
        #expect(!names.matches(event: "Trade", tags: [:]))
        #expect(!names.matches(event: "trade*", tags: [:]))
        #expect(SubscriptionPredicate().matches(event: "anything", tags: [:]))
        // Byte for byte: a precomposed é is not its decomposed form, and both may be listed.
        let accented = SubscriptionPredicate(events: ["caf\u{E9}", "cafe\u{301}", "caf\u{E9}"])
        #expect(accented.events.count == 2)
        #expect(SubscriptionPredicate(events: ["caf\u{E9}"]) != SubscriptionPredicate(events: ["cafe\u{301}"]))
        #expect(!SubscriptionPredicate(events: ["caf\u{E9}"]).matches(event: "cafe\u{301}", tags: [:]))
    }

    @Test("the wire form parses back to the same filter")
    func roundTrip() throws {
        for original in [
            SubscriptionPredicate(events: ["b", "a"], tags: Self.btc), SubscriptionPredicate(events: ["a"]),
            SubscriptionPredicate(tags: Self.btc),
        ] {
            #expect(try SubscriptionPredicate(json: original.jsonValue, path: "filter") == original)
        }
    }
}
