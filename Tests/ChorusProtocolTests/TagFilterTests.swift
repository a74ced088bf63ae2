import ChorusProtocol
import Testing

@Suite("Tag filters")
struct TagFilterTests {
    private func filter(_ text: String) throws -> TagFilter {
        try TagFilter(json: JSONValue(parsing: text))
    }

    @Test("leaves and nodes parse and serialise back to the same tree")
    func roundTrip() throws {
        let parsed = try filter(
            #"{"op":"or","nodes":[{"key":"type","cmp":"eq","val":"goal"},"#
                + #"{"op":"and","nodes":[{"key":"type","cmp":"in","vals":["shot","save"]},{"key":"xg","cmp":"gte","val":"0.8"}]},"#
                + #"{"op":"not","nodes":[{"key":"muted","cmp":"ex"}]}]}"#
        )
        #expect(try TagFilter(json: parsed.jsonValue) == parsed)
        guard case .or(let nodes) = parsed else {
            Issue.record("expected an or node")
            return
        }
        #expect(nodes.count == 3)
        #expect(nodes[0] == .compare(key: "type", comparison: .eq, values: ["goal"]))
    }

    @Test(
        "invalid filters are refused with a message naming the problem",
        arguments: [
            (#"[]"#, "filter: must be an object"),
            (#"{"op":"xor","nodes":[{"key":"a","cmp":"ex"}]}"#, "filter.op: unknown operator 'xor'"),
            (#"{"op":"and","nodes":[]}"#, "filter.nodes: 'and' needs a non-empty array"),
            (#"{"op":"not","nodes":[{"key":"a","cmp":"ex"},{"key":"b","cmp":"ex"}]}"#, "'not' takes exactly one node"),
            (#"{"key":"a","cmp":"like","val":"x"}"#, "filter.cmp: unknown comparison 'like'"),
            (#"{"key":"","cmp":"eq","val":"x"}"#, "filter.key: a leaf needs a non-empty string key"),
            (#"{"key":"a","cmp":"eq"}"#, "filter.val: 'eq' needs a string value"),
            (#"{"key":"a","cmp":"in","vals":[]}"#, "filter.vals: 'in' needs a non-empty array"),
            (#"{"op":"or","nodes":[{"key":"a","cmp":"ex"},{"key":"a","cmp":"gt","val":""}]}"#, "filter.nodes[1].val"),
        ]
    )
    func invalid(text: String, expected: String) throws {
        let json = try JSONValue(parsing: text)
        #expect {
            try TagFilter(json: json)
        } throws: { error in
            (error as? TagFilterError)?.message.contains(expected) == true
        }
    }

    @Test("filters nested deeper than the limit are refused")
    func depthLimit() throws {
        var json: JSONValue = ["key": "a", "cmp": "ex"]
        for _ in 0..<TagFilter.maximumDepth { json = ["op": "not", "nodes": [json]] }
        #expect(throws: TagFilterError.self) { try TagFilter(json: json) }
    }

    @Test("comparisons: absent tags, numbers, bytes, prefixes, suffixes, substrings")
    func comparisons() {
        let tags = ["symbol": "BTC-USD", "price": "9.5", "venue": "lp-3"]
        func holds(_ comparison: TagComparison, _ key: String, _ operands: [String]) -> Bool {
            TagFilter.compare(key: key, comparison: comparison, values: operands).matches(tags)
        }
        #expect(holds(.eq, "symbol", ["BTC-USD"]))
        #expect(!holds(.eq, "missing", ["x"]))
        #expect(holds(.neq, "missing", ["x"]))
        #expect(holds(.nin, "missing", ["x"]))
        #expect(holds(.nex, "missing", []))
        #expect(!holds(.ex, "missing", []))
        #expect(holds(.in, "venue", ["lp-1", "lp-3"]))
        #expect(holds(.sw, "symbol", ["BTC"]) && !holds(.sw, "symbol", ["USD"]))
        #expect(holds(.ew, "symbol", ["USD"]) && !holds(.ew, "symbol", ["BTC"]))
        #expect(holds(.ct, "symbol", ["C-U"]) && !holds(.ct, "symbol", ["CU"]))
        // 9.5 < 10 as numbers, though "9.5" > "10" as bytes.
        #expect(holds(.lt, "price", ["10"]))
        #expect(holds(.gte, "price", ["9.5"]) && !holds(.gt, "price", ["9.5"]))
        #expect(holds(.gt, "venue", ["lp-2"]) && holds(.lte, "venue", ["lp-3"]))
    }
}
