extension VCDIFFDelta {
    /// A delta that turns `base` into `target`: one window whose source segment is the whole base.
    /// The two together must be under 2 GiB (the match index holds 32-bit positions).
    public static func create(from base: [UInt8], to target: [UInt8]) -> [UInt8] {
        base.withUnsafeBufferPointer { base in
            target.withUnsafeBufferPointer { target in
                var encoder = VCDIFFEncoder(base: base, target: target)
                encoder.findMatches()
                return encoder.delta()
            }
        }
    }
}

/// Writes a one-window VCDIFF delta (``VCDIFFDelta`` describes the format).
///
/// Matching works in the window's address space — the base, then the target — so a match may be
/// in the base or earlier in the target, even overlapping the bytes it produces (a run). The
/// base's whole 4-byte blocks, and the 4 bytes at each target position where the scan adds bytes
/// (copied ones are in the table already), are hashed into a ``VCDIFFBlockIndex``; each target
/// position tries the block that continues the last copy, then a bounded number of chained blocks (none once a match is good
/// enough), and takes the longest match when its COPY costs fewer bytes than adding it. O(n) in
/// time and memory.
struct VCDIFFEncoder {
    /// Blocks of this many bytes are hashed; the shortest COPY the default table has. A match of
    /// at least 7 bytes covers a whole base block, and extending it backwards finds its start.
    static let block = 4
    /// How many chained blocks with the same hash are tried at one position.
    static let maximumCandidates = 16
    /// A match this long is taken without trying more candidates.
    static let goodLength = 64
    /// The most buckets the hash table has, however long the inputs.
    static let maximumBuckets = 1 << 16

    /// One ADD (possibly empty) followed by one COPY (empty at the end of the target).
    struct Step {
        var addStart: Int
        var addLength: Int
        var copyLength: Int
        var mode: UInt8
        var address: Int
    }

    let base: UnsafeBufferPointer<UInt8>
    let target: UnsafeBufferPointer<UInt8>
    private(set) var steps: [Step] = []

    init(base: UnsafeBufferPointer<UInt8>, target: UnsafeBufferPointer<UInt8>) {
        self.base = base
        self.target = target
    }

    /// Fills ``steps``.
    mutating func findMatches() {
        let baseCount = base.count
        let targetCount = target.count
        guard targetCount >= Self.block else {
            if targetCount > 0 {
                steps.append(Step(addStart: 0, addLength: targetCount, copyLength: 0, mode: 0, address: 0))
            }
            return
        }
        // Slots: the base's whole blocks, then every target position.
        let baseBlocks = baseCount / Self.block
        var buckets = 16
        while buckets < baseBlocks + targetCount, buckets < Self.maximumBuckets { buckets <<= 1 }
        // One allocation: the bucket heads, then for every slot the previous slot in its bucket
        // (-1: none).
        var table = [Int32](repeating: -1, count: buckets + baseBlocks + targetCount)
        table.withUnsafeMutableBufferPointer { table in
            var index = VCDIFFBlockIndex(
                heads: UnsafeMutableBufferPointer(rebasing: table[0..<buckets]),
                previous: UnsafeMutableBufferPointer(rebasing: table[buckets...]),
                baseCount: baseCount,
                baseBlocks: baseBlocks
            )
            for block in 0..<baseBlocks { index.insert(slot: block, bucket: index.bucket(base, block * Self.block)) }
            scan(&index)
        }
    }

    private mutating func scan(_ index: inout VCDIFFBlockIndex) {
        let baseCount = base.count
        let targetCount = target.count
        var cache = VCDIFFAddressCache(sameSlots: false)
        steps.reserveCapacity(32)
        var addStart = 0
        var position = 0
        // Where the last copy ended in the address space: the next one often continues there. The
        // first one is tried at the start of the base.
        var continuation = 0
        while position + Self.block <= targetCount {
            var best = (length: 0, start: 0, address: 0)
            let next = continuation + position - addStart
            if next < baseCount + position { best = match(next, at: position, addStart: addStart, best: best) }
            let bucket = index.bucket(target, position)
            var slot = index.head(bucket)
            var tries = 0
            while slot >= 0, tries < Self.maximumCandidates, best.length < Self.goodLength {
                best = match(index.address(slot: slot), at: position, addStart: addStart, best: best)
                slot = index.previous(slot)
                tries += 1
            }
            if best.length >= Self.block {
                let here = baseCount + best.start
                let (mode, value) = cache.encode(best.address, here: here)
                let sizeCost = best.length > 18 ? VCDIFFDelta.integerLength(best.length) : 0
                if 1 + VCDIFFDelta.integerLength(value) + sizeCost < best.length {
                    cache.update(best.address)
                    steps.append(
                        Step(
                            addStart: addStart,
                            addLength: best.start - addStart,
                            copyLength: best.length,
                            mode: mode,
                            address: value
                        )
                    )
                    position = best.start + best.length
                    addStart = position
                    continuation = best.address + best.length
                    continue
                }
            }
            // Only bytes that are added join the table: copied ones are already in it.
            index.insert(slot: index.baseBlocks + position, bucket: bucket)
            position += 1
        }
        if addStart < targetCount {
            steps.append(
                Step(addStart: addStart, addLength: targetCount - addStart, copyLength: 0, mode: 0, address: 0)
            )
        }
    }

    /// The longer of `best` and the match of the address-space position `candidate` with the
    /// target at `position`, extended back over bytes not yet covered (down to `addStart`).
    @inline(__always)
    private func match(
        _ candidate: Int,
        at position: Int,
        addStart: Int,
        best: (length: Int, start: Int, address: Int)
    ) -> (length: Int, start: Int, address: Int) {
        let baseCount = base.count
        // A match in the base stops at its end (decoders disagree on copies that cross into the
        // target); one in the target may run up to the target's end.
        let (source, start) = candidate < baseCount ? (base, candidate) : (target, candidate - baseCount)
        var forward = 0
        while start + forward < source.count, position + forward < target.count,
            source[start + forward] == target[position + forward]
        {
            forward += 1
        }
        var backward = 0
        while backward < start, position - backward > addStart,
            source[start - backward - 1] == target[position - backward - 1]
        {
            backward += 1
        }
        guard forward + backward > best.length else { return best }
        return (forward + backward, position - backward, candidate - backward)
    }
}

extension VCDIFFEncoder {
    /// The delta: header, then the window with its three sections, each sized exactly up front.
    func delta() -> [UInt8] {
        var dataLength = 0
        var instructionsLength = 0
        var addressesLength = 0
        for step in steps {
            dataLength += step.addLength
            instructionsLength += instructionLength(step)
            if step.copyLength > 0 { addressesLength += VCDIFFDelta.integerLength(step.address) }
        }
        let baseCount = base.count
        let targetCount = target.count
        let encodingLength =
            VCDIFFDelta.integerLength(targetCount) + 1 + VCDIFFDelta.integerLength(dataLength)
            + VCDIFFDelta.integerLength(instructionsLength) + VCDIFFDelta.integerLength(addressesLength)
            + dataLength + instructionsLength + addressesLength
        let segmentLength =
            baseCount > 0 ? VCDIFFDelta.integerLength(baseCount) + VCDIFFDelta.integerLength(0) : 0
        var delta: [UInt8] = []
        delta.reserveCapacity(
            VCDIFFDelta.magic.count + 2 + segmentLength + VCDIFFDelta.integerLength(encodingLength) + encodingLength
        )
        delta.append(contentsOf: VCDIFFDelta.magic)
        delta.append(0)  // header indicator: no compressor, default code table, no application header
        if baseCount > 0 {
            delta.append(VCDIFFDelta.WindowIndicator.source)
            VCDIFFDelta.appendInteger(baseCount, to: &delta)
            VCDIFFDelta.appendInteger(0, to: &delta)
        } else {
            delta.append(0)
        }
        VCDIFFDelta.appendInteger(encodingLength, to: &delta)
        VCDIFFDelta.appendInteger(targetCount, to: &delta)
        delta.append(0)  // delta indicator: no section is compressed
        VCDIFFDelta.appendInteger(dataLength, to: &delta)
        VCDIFFDelta.appendInteger(instructionsLength, to: &delta)
        VCDIFFDelta.appendInteger(addressesLength, to: &delta)
        for step in steps {
            delta.append(contentsOf: target[step.addStart..<(step.addStart + step.addLength)])
        }
        for step in steps { appendInstructions(step, to: &delta) }
        for step in steps where step.copyLength > 0 { VCDIFFDelta.appendInteger(step.address, to: &delta) }
        return delta
    }

    /// The bytes ``appendInstructions(_:to:)`` writes for `step`.
    private func instructionLength(_ step: Step) -> Int {
        var length = 0
        if step.copyLength > 0,
            VCDIFFCodeTable.addCopyCode(addSize: step.addLength, copySize: step.copyLength, mode: step.mode) != nil
        {
            return 1
        }
        if step.addLength > 0 {
            let (_, sizeFollows) = VCDIFFCodeTable.addCode(size: step.addLength)
            length += 1 + (sizeFollows ? VCDIFFDelta.integerLength(step.addLength) : 0)
        }
        if step.copyLength > 0 {
            let (_, sizeFollows) = VCDIFFCodeTable.copyCode(size: step.copyLength, mode: step.mode)
            length += 1 + (sizeFollows ? VCDIFFDelta.integerLength(step.copyLength) : 0)
        }
        return length
    }

    /// The step's ADD and COPY as one code of the default table when it has one, else as two.
    private func appendInstructions(_ step: Step, to delta: inout [UInt8]) {
        if step.copyLength > 0,
            let code = VCDIFFCodeTable.addCopyCode(addSize: step.addLength, copySize: step.copyLength, mode: step.mode)
        {
            delta.append(code)
            return
        }
        if step.addLength > 0 {
            let (code, sizeFollows) = VCDIFFCodeTable.addCode(size: step.addLength)
            delta.append(code)
            if sizeFollows { VCDIFFDelta.appendInteger(step.addLength, to: &delta) }
        }
        if step.copyLength > 0 {
            let (code, sizeFollows) = VCDIFFCodeTable.copyCode(size: step.copyLength, mode: step.mode)
            delta.append(code)
            if sizeFollows { VCDIFFDelta.appendInteger(step.copyLength, to: &delta) }
        }
    }
}
