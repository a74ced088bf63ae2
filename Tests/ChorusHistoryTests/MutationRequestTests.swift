import ChorusHistory
import ChorusProtocol
import Testing

@Suite("Mutation requests: update, delete, append")
struct MutationRequestTests {
    func parse(_ action: MessageAction, _ text: String) throws(HistoryRequestError) -> MutationRequest {
        try MutationRequest(action: action, json: try! JSONValue(parsing: text))
    }

    @Test("an update needs a field; unknown fields alone do not count and are never an error")
    func updateNeedsField() throws {
        let error = #expect(throws: HistoryRequestError.self) { try parse(.update, #"{"socket_id":"1.2","x":1}"#) }
        #expect(error?.code == .missingField)
        let request = try parse(.update, #"{"data":"edited","whatever":[1,2]}"#)
        #expect(request.data == "edited")
    }

    @Test("non-string data and metadata are kept as compact JSON text")
    func compactData() throws {
        let request = try parse(.update, #"{"data": {"b": [1, 2], "a": true}, "metadata": {"k": "v"}}"#)
        #expect(request.data == #"{"a":true,"b":[1,2]}"#)
        #expect(request.metadata == #"{"k":"v"}"#)
    }

    @Test("a delete may be {}; its name is ignored")
    func deleteEmpty() throws {
        let request = try parse(.delete, "{}")
        #expect(request.name == nil)
        #expect(try parse(.delete, #"{"name":"x"}"#).name == nil)
    }

    @Test("append needs non-empty string data")
    func appendData() throws {
        for body in ["{}", #"{"data":""}"#, #"{"data":5}"#, #"{"data":null}"#] {
            #expect(throws: HistoryRequestError.self) { try parse(.append, body) }
        }
        #expect(try parse(.append, #"{"data":"frag"}"#).data == "frag")
    }

    @Test("wrong types are 400")
    func wrongTypes() {
        for body in [
            #"{"name":5}"#, #"{"description":[]}"#, #"{"client_id":1}"#, #"{"clear_fields":"name"}"#,
            #"{"clear_fields":["other"]}"#, "[]", #""text""#, #"{"data":"x","clear_fields":["data"]}"#,
        ] {
            #expect(throws: HistoryRequestError.self) { try parse(.update, body) }
        }
    }

    @Test("op_id and idempotency_key are the same key, at most 128 bytes")
    func idempotencyKeys() throws {
        #expect(try parse(.delete, #"{"op_id":"k1"}"#).idempotencyKey == "k1")
        #expect(try parse(.delete, #"{"idempotency_key":"k2","op_id":"k1"}"#).idempotencyKey == "k2")
        let long = String(repeating: "k", count: 129)
        let error = #expect(throws: HistoryRequestError.self) { try parse(.delete, #"{"op_id":"\#(long)"}"#) }
        #expect(error?.code == .invalidIdempotencyKey)
        #expect(try parse(.delete, #"{"op_id":"\#(String(long.dropFirst()))"}"#).idempotencyKey?.count == 128)
    }

    @Test("the fingerprint ignores key order, the connection and the key, and sees every change")
    func fingerprint() throws {
        let a = try parse(.update, #"{"data":"x","description":"d","socket_id":"1.1","op_id":"k"}"#)
        let b = try parse(.update, #"{"description":"d","data":"x","socket_id":"9.9"}"#)
        let c = try parse(.update, #"{"data":"y","description":"d"}"#)
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.fingerprint != c.fingerprint)
        #expect(try parse(.delete, #"{"data":"x","description":"d"}"#).fingerprint != b.fingerprint)
    }

    @Test("effects: update replaces and clears, delete is soft, append concatenates with the fragment as version data")
    func effects() throws {
        let current = MessageObjectTests.message()
        let update = try parse(.update, #"{"clear_fields":["name"],"data":"new","client_id":"u"}"#)
            .effect(on: current, versionSerial: "v2", timestampMs: 5)
        #expect(update.latest.name == nil)
        #expect(update.latest.data == "new")
        #expect(update.latest.action == .update)
        #expect(update.latest.versionNumber == 2)
        #expect(update.latest.version == MessageVersionInfo(serial: "v2", timestampMs: 5, clientID: "u"))
        #expect(update.version == update.latest)

        let delete = try parse(.delete, "{}").effect(on: current, versionSerial: "v2", timestampMs: 5)
        #expect(delete.latest.data == "hi")
        #expect(delete.latest.action == .delete)

        let append = try parse(.append, #"{"data":" there"}"#).effect(on: current, versionSerial: "v2", timestampMs: 5)
        #expect(append.latest.data == "hi there")
        #expect(append.version.data == " there")
        #expect(append.version.action == .append)
    }
}
