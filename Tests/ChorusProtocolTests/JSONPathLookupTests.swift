import ChorusProtocol
import Testing

@Suite("JSONPathLookup: one scalar by path, without parsing the document")
struct JSONPathLookupTests {
    static func lookup(_ path: String, _ json: String) -> String? {
        JSONPathLookup.scalarText(at: path.split(separator: "."), in: json)
    }

    @Test(
        "scalars at the root and nested, past strings, arrays and objects holding braces",
        arguments: [
            ("symbol", #"{"symbol":"BTC","price":1}"#, "BTC"),
            ("price", #"{"symbol":"BTC","price":101.50}"#, "101.50"),
            ("open", #"{ "book": [ {"a":"}"} ], "open" : true }"#, "true"),
            ("quote.id", #"{"x":{"id":1},"quote":{"id":7}}"#, "7"),
            ("name", #"{"note":"a \"quoted\" {x}","name":"caf\u00e9"}"#, "café"),
            ("k", #"{"k":"with \\ backslash"}"#, #"with \ backslash"#),
        ]
    )
    func found(path: String, json: String, expected: String) {
        #expect(Self.lookup(path, json) == expected)
    }

    @Test(
        "absent, not a scalar, or not JSON on the way: nil",
        arguments: [
            ("symbol", #"{"price":1}"#),
            ("quote", #"{"quote":{"id":7}}"#),
            ("list", #"{"list":[1,2]}"#),
            ("quote.id", #"{"quote":3}"#),
            ("symbol", #"[{"symbol":"BTC"}]"#),
            ("symbol", #"{"symbol""#),
            ("symbol", "not json"),
            ("symbol", ""),
            ("b", #"{"a":"unterminated}"#),
        ]
    )
    func notFound(path: String, json: String) {
        #expect(Self.lookup(path, json) == nil)
    }
}
