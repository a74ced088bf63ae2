import ChorusLoad
import ChorusProtocol
import NIOCore
import Testing

@Suite("Delta reception in the load generator")
struct DeltaReceptionTests {
    static let base = Array(
        #"{"event":"e","channel":"c","data":"{\"seq\":1,\"t\":5,\"pad\":\"0123456789012345678901234567890123456789\"}"}"#
            .utf8
    )
    static let next = Array(
        #"{"event":"e","channel":"c","data":"{\"seq\":2,\"t\":6,\"pad\":\"0123456789012345678901234567890123456789\"}"}"#
            .utf8
    )

    @Test("a full message with its sequence, then a delta, come out as full texts the scanner reads")
    func rebuildsForTheScanner() throws {
        var reception = DeltaReception()
        let full = ByteBuffer(bytes: DeltaMessage.appendingSequence(1, to: Self.base))
        #expect(reception.receive(full) == .message(Self.base, rebuilt: false))
        let delta = DeltaMessage(
            channel: "c",
            event: "e",
            delta: FossilDelta.create(from: Self.base, to: Self.next),
            sequence: 2,
            baseSequence: 1,
            algorithm: FossilDelta.algorithm
        )
        let outcome = reception.receive(ByteBuffer(string: delta.message.jsonText))
        #expect(outcome == .message(Self.next, rebuilt: true))
        guard case .message(let text, _) = outcome else { return }
        #expect(text.withUnsafeBytes { DeliveryScanner.scan($0) }?.sequence == 2)
    }

    @Test("a delta without its base is a sync error")
    func missingBase() {
        var reception = DeltaReception()
        let delta = DeltaMessage(
            channel: "c",
            event: "e",
            delta: Array("1\n0;".utf8),
            sequence: 5,
            baseSequence: 4,
            algorithm: "fossil"
        )
        #expect(reception.receive(ByteBuffer(string: delta.message.jsonText)) == .syncError(channel: "c"))
    }
}
