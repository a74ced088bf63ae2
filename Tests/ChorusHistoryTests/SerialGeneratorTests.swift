import ChorusHistory
import Synchronization
import Testing

@Suite("Serials: opaque, short, sorting in the order made")
struct SerialGeneratorTests {
    @Test("serials sort as strings in the order made, even when the clock stands still or goes back")
    func ordering() {
        let times = Mutex<[Int64]>([5, 5, 5, 3, 1_767_225_600_123, 1_767_225_600_123, 7])
        let generator = SerialGenerator(node: "node-1") {
            times.withLock { $0.isEmpty ? 9 : $0.removeFirst() }
        }
        let serials = (0..<10).map { _ in generator.next().serial }
        #expect(serials == serials.sorted())
        #expect(Set(serials).count == serials.count)
        for serial in serials {
            #expect(SerialGenerator.isWellFormed(serial))
            #expect(serial.utf8.count <= 128)
        }
        #expect(serials[0] == "00000000000000000005:node-1:00000000000000000001")
    }

    @Test("well-formed: 1...128 bytes of [A-Za-z0-9._:-]")
    func wellFormed() {
        #expect(SerialGenerator.isWellFormed("a:B.9_-"))
        #expect(!SerialGenerator.isWellFormed(""))
        #expect(!SerialGenerator.isWellFormed("a b"))
        #expect(!SerialGenerator.isWellFormed("a/b"))
        #expect(!SerialGenerator.isWellFormed(String(repeating: "a", count: 129)))
    }
}
