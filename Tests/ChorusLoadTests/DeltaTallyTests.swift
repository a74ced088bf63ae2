import ChorusLoad
import Testing

@Suite("Delta tally: rebuilt messages against the reference copies")
struct DeltaTallyTests {
    static let good = Array(#"{"event":"e","channel":"c","data":"{\"seq\":1}"}"#.utf8)
    static let bad = Array(#"{"event":"e","channel":"c","data":"{\"seq\":1 }"}"#.utf8)
    static let key = DeltaTally.Key(channel: 0, sequence: 1)

    @Test("counts messages equal to the reference, mismatches and messages without a reference, across loops")
    func comparesAcrossLoops() {
        var first = DeltaTally()
        first.recordMessage(Self.good, key: Self.key, frameBytes: 20, rebuilt: true)
        first.recordMessage(Self.bad, key: Self.key, frameBytes: 20, rebuilt: true)
        first.recordMessage(Self.good, key: DeltaTally.Key(channel: 0, sequence: 2), frameBytes: 60, rebuilt: false)
        var second = DeltaTally()
        second.recordMessage(Self.bad, key: Self.key, frameBytes: 20, rebuilt: true)
        second.recordMessage(Self.good, key: Self.key, frameBytes: 20, rebuilt: true)
        second.recordReference(Self.good, key: Self.key)

        var total = DeltaTally()
        total.add(first)
        total.add(second)
        let comparison = total.comparison
        #expect(comparison.compared == 4)
        #expect(comparison.mismatches == 2)
        #expect(comparison.unreferenced == 1)
        #expect(total.messages == 5)
        #expect(total.rebuilt == 4)
        #expect(total.receivedBytes == 140)
        #expect(total.fullBytes == Int64(3 * Self.good.count + 2 * Self.bad.count))
    }

    @Test("a reference that differs from the only text seen makes every copy a mismatch")
    func firstTextWrong() {
        var tally = DeltaTally()
        tally.recordMessage(Self.bad, key: Self.key, frameBytes: 10, rebuilt: true)
        tally.recordMessage(Self.bad, key: Self.key, frameBytes: 10, rebuilt: true)
        tally.recordReference(Self.good, key: Self.key)
        #expect(tally.comparison.mismatches == 2)
    }

    @Test func bytesSaved() {
        let figures = DeltaFigures(
            mode: "subscription",
            messages: 10,
            rebuilt: 9,
            compared: 10,
            mismatches: 0,
            unreferenced: 0,
            syncErrors: 0,
            receivedBytes: 300,
            fullBytes: 1_000
        )
        #expect(figures.bytesSavedPercent == 70)
    }
}
