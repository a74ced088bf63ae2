import ChorusCore
import Testing

@Suite("SubscriberList")
struct SubscriberListTests {
    @Test func removingSwapsTheLastSlotIntoTheGap() {
        let list = SubscriberList()
        for slot: UInt32 in [1, 2, 3, 4] { #expect(list.insert(slot)) }
        #expect(list.remove(2))
        #expect(list.slots == [1, 4, 3])
        #expect(!list.contains(2))
        #expect(list.remove(1))
        #expect(list.slots == [3, 4])
        // The moved slot's new position is tracked: removing it leaves the right one.
        #expect(list.remove(4))
        #expect(list.slots == [3])
    }

    @Test func removingTheLastSlotEmptiesTheList() {
        let list = SubscriberList()
        list.insert(5)
        #expect(list.remove(5))
        #expect(list.isEmpty)
        #expect(list.count == 0)
    }

    @Test func duplicatesAndAbsentSlotsAreRefused() {
        let list = SubscriberList()
        #expect(list.insert(1))
        #expect(!list.insert(1))
        #expect(!list.remove(9))
        #expect(list.slots == [1])
    }
}
