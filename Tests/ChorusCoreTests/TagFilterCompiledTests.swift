import ChorusCore
import ChorusProtocol
import ChorusTesting
import Testing

@Suite("Compiled tag filters")
struct TagFilterCompiledTests {
    static let keys = ["a", "b", "c"]
    static let values = ["1", "2", "10", "x", "xy", "yx", "-3.5"]

    static func randomFilter(depth: Int, using rng: inout SplitMix) -> TagFilter {
        if depth == 0 || Int.random(in: 0..<3, using: &rng) == 0 {
            let comparison = TagComparison.allCases.randomElement(using: &rng)!
            let key = keys.randomElement(using: &rng)!
            let operands: [String]
            switch comparison.operands {
            case .none: operands = []
            case .one: operands = [values.randomElement(using: &rng)!]
            case .many:
                operands = (0..<Int.random(in: 1...3, using: &rng)).map { _ in values.randomElement(using: &rng)! }
            }
            return .compare(key: key, comparison: comparison, values: operands)
        }
        let children = (0..<Int.random(in: 1...3, using: &rng)).map { _ in randomFilter(depth: depth - 1, using: &rng) }
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: return .and(children)
        case 1: return .or(children)
        default: return .not(children[0])
        }
    }

    @Test("the compiled form agrees with the tree on random filters and tags")
    func agreesWithReference() {
        var rng = SplitMix(state: 42)
        for _ in 0..<2_000 {
            let filter = Self.randomFilter(depth: 3, using: &rng)
            let compiled = CompiledTagFilter(filter)
            var tags: [String: String] = [:]
            for key in Self.keys where Bool.random(using: &rng) { tags[key] = Self.values.randomElement(using: &rng)! }
            #expect(compiled.matches(tags) == filter.matches(tags), "\(filter.jsonValue.jsonText) on \(tags)")
        }
    }

    @Test("single eq and in leaves are indexable by their pairs; other filters are not")
    func indexablePairs() {
        let eq = CompiledTagFilter(.compare(key: "symbol", comparison: .eq, values: ["BTC"]))
        #expect(eq.indexablePairs == [TagPair(key: "symbol", value: "BTC")])
        let list = CompiledTagFilter(.compare(key: "symbol", comparison: .in, values: ["BTC", "ETH"]))
        #expect(list.indexablePairs == [TagPair(key: "symbol", value: "BTC"), TagPair(key: "symbol", value: "ETH")])
        #expect(CompiledTagFilter(.compare(key: "symbol", comparison: .neq, values: ["BTC"])).indexablePairs == nil)
        #expect(CompiledTagFilter(.and([.compare(key: "a", comparison: .eq, values: ["1"])])).indexablePairs == nil)
    }

    @Test("equal trees compile to equal filters, so subscribers can share one")
    func sharing() {
        let tree = TagFilter.or([
            .compare(key: "a", comparison: .eq, values: ["1"]), .compare(key: "b", comparison: .ex, values: []),
        ])
        #expect(CompiledTagFilter(tree) == CompiledTagFilter(tree))
        #expect(CompiledTagFilter(tree).hashValue == CompiledTagFilter(tree).hashValue)
    }
}
