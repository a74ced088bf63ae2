import ChorusLoad
import ChorusProtocol
import Testing

@Suite struct DeliveryScannerTests {
    private func scan(_ text: String) -> EventPayload? {
        Array(text.utf8).withUnsafeBytes { DeliveryScanner.scan($0) }
    }

    @Test func readsADoubleEncodedDelivery() throws {
        let payload = EventPayload(sequence: 123, sentAt: 1_732_500_000_123_456)
        let frame = PusherMessage(event: "load", channel: "load-x-0", data: .string(payload.text(size: 150))).jsonText
        #expect(frame.contains(#"\"seq\":123"#))
        #expect(scan(frame) == payload)
    }

    @Test func readsAnObjectDelivery() {
        let frame = #"{"event":"client-load","channel":"private-a","data":{"seq":7,"t":99,"pad":"x"},"user_id":"u"}"#
        #expect(scan(frame) == EventPayload(sequence: 7, sentAt: 99))
    }

    @Test func ignoresFramesWithoutAPayload() {
        #expect(scan(#"{"event":"pusher_internal:subscription_succeeded","channel":"a","data":"{}"}"#) == nil)
        #expect(scan(#"{"event":"sequence","data":"{\"seq\":\"x\"}"}"#) == nil)
        #expect(scan(#"{"event":"e","data":"{\"seq\":1}"}"#) == nil)
        #expect(scan("") == nil)
    }

    @Test func doesNotMistakeALongerKeyForSeq() {
        #expect(scan(#"{"event":"e","data":"{\"seqx\":1,\"seq\":2,\"t\":3}"}"#) == EventPayload(sequence: 2, sentAt: 3))
    }

    @Test func payloadIsPaddedToTheRequestedSize() throws {
        let text = EventPayload(sequence: 1, sentAt: 2).text(size: 200)
        #expect(text.utf8.count == 200)
        let value = try JSONValue(parsing: text)
        #expect(value["seq"]?.intValue == 1)
        #expect(value["t"]?.intValue == 2)
    }
}
