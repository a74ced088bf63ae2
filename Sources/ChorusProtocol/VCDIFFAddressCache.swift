/// The COPY address cache of RFC 3284 section 5.1, at the default sizes (4 near, 3 same): the
/// encoder and the decoder update it after every COPY, so an address close to a recent one, or
/// equal to one, is written in fewer bytes.
///
/// Modes: 0 writes the address itself, 1 its distance back from `here` (the current position in
/// the source-then-target address space), 2–5 its distance past a near slot, 6–8 one byte that
/// picks a same slot (an address remembered by its value modulo 768).
struct VCDIFFAddressCache {
    static let nearCount = 4
    static let sameCount = 3

    private var near: (Int, Int, Int, Int) = (0, 0, 0, 0)
    private var nextNear = 0
    private var same: [Int]

    /// A cache for decoding, or with `sameSlots: false`, for an encoder that never writes same
    /// modes (an exact repeat of a recent address costs one byte as a near distance of 0 anyway)
    /// and so need not allocate them.
    init(sameSlots: Bool = true) {
        same = sameSlots ? [Int](repeating: 0, count: Self.sameCount * 256) : []
    }

    /// Remembers `address`, as both sides do after each COPY.
    mutating func update(_ address: Int) {
        switch nextNear {
        case 0: near.0 = address
        case 1: near.1 = address
        case 2: near.2 = address
        default: near.3 = address
        }
        nextNear = (nextNear + 1) % Self.nearCount
        if !same.isEmpty { same[address % (Self.sameCount * 256)] = address }
    }

    func near(_ slot: Int) -> Int {
        switch slot {
        case 0: near.0
        case 1: near.1
        case 2: near.2
        default: near.3
        }
    }

    /// The cheapest way to write `address` at `here` in the self, here and near modes: the mode
    /// and the integer that follows it. (The same modes are left to decoders: see ``init(sameSlots:)``.)
    func encode(_ address: Int, here: Int) -> (mode: UInt8, value: Int) {
        var best = (mode: UInt8(0), value: address)
        if here - address < best.value { best = (1, here - address) }
        for index in 0..<Self.nearCount {
            let distance = address - near(index)
            if distance >= 0, distance < best.value { best = (UInt8(2 + index), distance) }
        }
        return best
    }

    /// The address a COPY in `mode` names, reading its integer or byte with `read`; nil when the
    /// mode is not one of the default cache's.
    func decode<Failure: Error>(
        mode: UInt8,
        here: Int,
        integer: () throws(Failure) -> Int,
        byte: () throws(Failure) -> UInt8
    ) throws(Failure) -> Int? {
        switch Int(mode) {
        case 0: return try integer()
        case 1: return here - (try integer())
        case 2..<(2 + Self.nearCount): return near(Int(mode) - 2) + (try integer())
        case (2 + Self.nearCount)..<(2 + Self.nearCount + Self.sameCount):
            return same[(Int(mode) - 2 - Self.nearCount) * 256 + Int(try byte())]
        default: return nil
        }
    }
}
