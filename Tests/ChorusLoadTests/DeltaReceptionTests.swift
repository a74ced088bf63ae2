import ChorusLoad
import ChorusProtocol
import Foundation
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
    static let full = ByteBuffer(bytes: DeltaMessage.appendingMetadata(sequence: 1, to: base))
    static let delta = ByteBuffer(
        string: DeltaMessage(
            channel: "c",
            event: "e",
            delta: FossilDelta.create(from: base, to: next),
            sequence: 2,
            baseSequence: 1,
            algorithm: FossilDelta.algorithm
        ).message.jsonText
    )

    @Test("a full message with its sequence, then a delta, come out as full texts the scanner reads")
    func rebuildsForTheScanner() throws {
        var reception = DeltaReception()
        let cache = DeltaFrameCache()
        #expect(reception.receive(Self.full, cache: cache) == .message(Self.base, rebuilt: false))
        let outcome = reception.receive(Self.delta, cache: cache)
        #expect(outcome == .message(Self.next, rebuilt: true))
        guard case .message(let text, _) = outcome else { return }
        #expect(text.withUnsafeBytes { DeliveryScanner.scan($0) }?.sequence == 2)
    }

    @Test("connections sharing a cache each rebuild from their own base")
    func sharedCache() {
        let cache = DeltaFrameCache()
        var first = DeltaReception()
        var second = DeltaReception()
        _ = first.receive(Self.full, cache: cache)
        #expect(first.receive(Self.delta, cache: cache) == .message(Self.next, rebuilt: true))
        // Same delta frame, but this connection never received message 1.
        #expect(second.receive(Self.delta, cache: cache) == .syncError(channel: "c"))
        // Same sequence, different base text: applied afresh, not the remembered result.
        let otherBase = Array(
            String(decoding: Self.base, as: UTF8.self).replacingOccurrences(of: "0123", with: "abcd").utf8
        )
        _ = second.receive(ByteBuffer(bytes: DeltaMessage.appendingMetadata(sequence: 1, to: otherBase)), cache: cache)
        #expect(second.receive(Self.delta, cache: cache) != .message(Self.next, rebuilt: true))
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
        #expect(
            reception.receive(ByteBuffer(string: delta.message.jsonText), cache: DeltaFrameCache())
                == .syncError(channel: "c")
        )
    }
}
