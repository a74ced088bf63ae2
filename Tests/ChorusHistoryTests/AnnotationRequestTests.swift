import ChorusHistory
import ChorusProtocol
import Testing

@Suite("Annotation requests and types")
struct AnnotationRequestTests {
    func parse(_ text: String) throws(HistoryRequestError) -> AnnotationRequest {
        try AnnotationRequest(json: try! JSONValue(parsing: text))
    }

    @Test("types: namespace:summarizer.v1 with one of the five summarizers, at most 256 bytes")
    func types() {
        for summarizer in AnnotationType.Summarizer.allCases {
            #expect(AnnotationType("reactions:\(summarizer.rawValue).v1")?.summarizer == summarizer)
        }
        #expect(AnnotationType("com.example.app:flag.v1")?.namespace == "com.example.app")
        let long = String(repeating: "n", count: 256 - ":total.v1".count)
        #expect(AnnotationType(long + ":total.v1") != nil)
        for text in [
            "", "total.v1", ":total.v1", "ns:total", "ns:total.v2", "ns:sum.v1", "ns:", "n" + long + ":total.v1",
        ] {
            #expect(AnnotationType(text) == nil, "\(text)")
        }
    }

    @Test("name is needed for distinct, unique and multiple; client_id for flag, distinct and unique")
    func requiredFields() throws {
        #expect(throws: HistoryRequestError.self) { try parse(#"{"type":"r:distinct.v1","client_id":"u"}"#) }
        #expect(throws: HistoryRequestError.self) { try parse(#"{"type":"r:unique.v1","name":"x"}"#) }
        #expect(throws: HistoryRequestError.self) { try parse(#"{"type":"r:flag.v1"}"#) }
        #expect(throws: HistoryRequestError.self) { try parse(#"{"type":"r:multiple.v1"}"#) }
        _ = try parse(#"{"type":"r:total.v1"}"#)
        _ = try parse(#"{"type":"r:multiple.v1","name":"x"}"#)
        _ = try parse(#"{"type":"r:flag.v1","client_id":"u"}"#)
    }

    @Test("camelCase clientId and socketId are accepted; count must be a positive integer")
    func fields() throws {
        let request = try parse(#"{"type":"r:distinct.v1","name":"👍","clientId":"u1","socketId":"1.2","encoding":"x"}"#)
        #expect(request.clientID == "u1")
        #expect(request.socketID == "1.2")
        #expect(try parse(#"{"type":"r:multiple.v1","name":"x","count":3}"#).count == 3)
        for count in ["0", "-1", "1.5", "\"2\""] {
            #expect(throws: HistoryRequestError.self) {
                try parse(#"{"type":"r:multiple.v1","name":"x","count":\#(count)}"#)
            }
        }
        let error = #expect(throws: HistoryRequestError.self) { try parse(#"{"type":"r:bogus.v1"}"#) }
        #expect(error?.code == .invalidAnnotationType)
    }

    @Test("a list item has the spec's camelCase fields")
    func listItem() throws {
        let request = try parse(#"{"type":"r:multiple.v1","name":"x","client_id":"u","count":2,"data":{"a":1}}"#)
        let event = request.event(
            serial: "a1",
            channel: ChannelRef(appID: "1", channel: "c"),
            messageSerial: "m1",
            timestampMs: 7
        )
        let expected = try JSONValue(
            parsing: #"""
                {"action":"annotation.create","id":"a1","serial":"a1","messageSerial":"m1","type":"r:multiple.v1",
                 "name":"x","clientId":"u","count":2,"data":{"a":1},"timestamp":7}
                """#
        )
        #expect(event.listItem == expected)
    }
}
