import ChorusConformance
import ChorusProtocol
import Testing

@Suite struct JSONPatternTests {
    private func matches(_ pattern: JSONValue, _ value: JSONValue?) -> Bool {
        if case .success = JSONPattern(pattern).match(value) { true } else { false }
    }

    @Test func objectsMatchAsSubsets() {
        #expect(matches(["event": "e"], ["event": "e", "channel": "c"]))
        #expect(!matches(["event": "e", "channel": "c"], ["event": "e"]))
        #expect(matches(["channel": "$absent"], ["event": "e"]))
        #expect(!matches(["channel": "$absent"], ["event": "e", "channel": "c"]))
    }

    @Test func embeddedJSONNeedsAString() {
        let pattern: JSONValue = ["data": ["$json": ["a": 1]]]
        #expect(matches(pattern, ["data": #"{"a":1,"b":2}"#]))
        #expect(!matches(pattern, ["data": ["a": 1]]))
        #expect(matches(["data": #"$json:{"a":1}"#], ["data": #"{"a":1.0}"#]))
    }

    @Test func exactObjectsRefuseExtraKeys() throws {
        let pattern: JSONValue = ["$exact": ["user_id": "2"]]
        #expect(matches(pattern, ["user_id": "2"]))
        #expect(!matches(pattern, ["user_id": "2", "user_info": [:]]))
        #expect(!matches(pattern, [:]))
        guard case .failure(let mismatch) = JSONPattern(pattern).match(["user_id": "2", "extra": 1]) else {
            Issue.record("an extra key matched")
            return
        }
        #expect(mismatch.description.contains("extra key(s) [extra]"))
    }

    @Test func jsonOrObjectTakesEitherForm() {
        let pattern: JSONValue = ["data": ["$json_or_object": ["status": 401]]]
        #expect(matches(pattern, ["data": #"{"status":401,"type":"AuthError"}"#]))
        #expect(matches(pattern, ["data": ["status": 401]]))
        #expect(!matches(pattern, ["data": ["status": 403]]))
        #expect(!matches(pattern, ["data": #"{"status":403}"#]))
    }

    @Test func matchersAndCaptures() throws {
        #expect(matches(#"$regex:^\d+\.\d+$"#, "123.456"))
        #expect(!matches(#"$regex:^\d+\.\d+$"#, "123"))
        #expect(matches(#"$regex:^(401|404)$"#, 404))
        #expect(matches("$type:object", [:]))
        #expect(!matches("$type:string", 1))
        #expect(matches("$any", .null))
        #expect(!matches("$any", nil))
        #expect(matches("$$literal", "$literal"))
        #expect(matches(["$unordered": [["id": "1"], ["id": "2"]]], [["id": "2"], ["id": "1"]]))
        #expect(!matches(["$unordered": [["id": "1"], ["id": "2"]]], [["id": "2"], ["id": "2"]]))
        let captures = try JSONPattern(["data": ["$json": ["socket_id": "$capture:sid"]]]).match([
            "data": #"{"socket_id":"1.2"}"#
        ]).get()
        #expect(captures["sid"] == "1.2")
    }

    @Test func mismatchNamesPathExpectedAndGot() {
        guard case .failure(let mismatch) = JSONPattern(["data": ["count": 2]]).match(["data": ["count": 3]]) else {
            Issue.record("expected a mismatch")
            return
        }
        #expect(mismatch.description == "at $.data.count: expected 2, got 3")
    }

    @Test func everyCaseFileLoadsAndCitesASource() throws {
        let library = try CaseLibrary(directory: CaseLibrary.bundledDirectory)
        #expect(library.cases.count > 50)
        for testCase in library.cases {
            #expect(!testCase.source.isEmpty)
            #expect(!testCase.tags.isEmpty)
        }
        let tags = Set(library.cases.flatMap(\.tags))
        for status in ["status-400", "status-401", "status-403", "status-404", "status-413", "status-429"] {
            #expect(tags.contains(status), "\(status)")
        }
    }
}
