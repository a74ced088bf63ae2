/// The hash table of ``VCDIFFEncoder``: buckets of slots, each chained to the slot inserted into
/// the same bucket before it. Slots `0..<baseBlocks` are the base's whole blocks, then one slot per
/// target position. The storage is the encoder's, of fixed size for its inputs.
struct VCDIFFBlockIndex {
    let heads: UnsafeMutableBufferPointer<Int32>
    let previous: UnsafeMutableBufferPointer<Int32>
    let baseCount: Int
    let baseBlocks: Int

    /// The hash bucket of the 4 bytes at `start` of `bytes`.
    @inline(__always)
    func bucket(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        let word = UnsafeRawPointer(bytes.baseAddress! + start).loadUnaligned(as: UInt32.self)
        return Int((word &* 2_654_435_761) >> 16) & (heads.count - 1)
    }

    @inline(__always)
    func insert(slot: Int, bucket: Int) {
        previous[slot] = heads[bucket]
        heads[bucket] = Int32(slot)
    }

    /// The last slot inserted into `bucket`, or -1.
    @inline(__always)
    func head(_ bucket: Int) -> Int { Int(heads[bucket]) }

    /// The slot inserted into the same bucket before `slot`, or -1.
    @inline(__always)
    func previous(_ slot: Int) -> Int { Int(previous[slot]) }

    /// Where `slot` starts in the window's address space (the base, then the target).
    @inline(__always)
    func address(slot: Int) -> Int {
        slot < baseBlocks ? slot * VCDIFFEncoder.block : baseCount + slot - baseBlocks
    }
}
