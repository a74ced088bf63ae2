import ChorusCluster
import Testing

@Suite struct NodeIDTests {
    @Test func randomIDsAreSixteenHexDigitsAndDiffer() {
        let first = NodeID.random()
        let second = NodeID.random()
        #expect(first.rawValue.count == 16)
        #expect(first.rawValue.allSatisfy { $0.isHexDigit })
        #expect(first != second)
    }
}
