/// Rebuilds a target from a base and a VCDIFF delta, window by window (``VCDIFFDelta`` describes
/// the format). Every length is checked against the bytes that remain before it is used, and the
/// target never grows past the limit, so hostile input costs at most that much memory.
struct VCDIFFDecoder {
    private var reader: VCDIFFReader
    private let base: [UInt8]
    private let maximumTargetSize: Int
    private var target: [UInt8] = []
    private var windowCount = 0

    init(delta: [UInt8], base: [UInt8], maximumTargetSize: Int) {
        reader = VCDIFFReader(delta, 0..<delta.count, part: .header)
        self.base = base
        self.maximumTargetSize = maximumTargetSize
    }

    mutating func decode() throws(VCDIFFError) -> [UInt8] {
        // The magic's fourth byte is the version, refused apart as unsupported.
        for byte in VCDIFFDelta.magic.dropLast() {
            guard try reader.byte() == byte else { throw .malformed("not a VCDIFF delta (wrong magic bytes)") }
        }
        guard try reader.byte() == 0 else { throw .unsupported("a VCDIFF version other than 0") }
        let indicator = try reader.byte()
        guard indicator & ~0x07 == 0 else { throw .malformed("reserved header indicator bits are set") }
        guard indicator & VCDIFFDelta.HeaderIndicator.secondaryCompressor == 0 else {
            throw .unsupported("secondary compression")
        }
        guard indicator & VCDIFFDelta.HeaderIndicator.codeTable == 0 else {
            throw .unsupported("a custom code table")
        }
        if indicator & VCDIFFDelta.HeaderIndicator.applicationHeader != 0 {
            reader.part = .applicationHeader
            _ = try reader.bytes(try reader.integer())
        }
        while !reader.isAtEnd {
            try decodeWindow()
            windowCount += 1
        }
        return target
    }

    private mutating func decodeWindow() throws(VCDIFFError) {
        reader.part = .window(windowCount)
        let indicator = try reader.byte()
        guard indicator & ~0x07 == 0 else { throw .malformed("reserved window indicator bits are set") }
        let segment = try sourceSegment(indicator: indicator)
        let encodingLength = try reader.integer()
        guard encodingLength <= reader.remaining else {
            throw .truncated(VCDIFFReader.Part.encoding(window: windowCount).description)
        }
        var encoding = VCDIFFReader(
            reader.bytes,
            reader.index..<(reader.index + encodingLength),
            part: .encoding(window: windowCount)
        )
        reader.index += encodingLength

        let targetLength = try encoding.integer()
        guard targetLength <= maximumTargetSize - target.count else {
            throw .targetTooLarge(limit: maximumTargetSize)
        }
        let compressed = try encoding.byte()
        guard compressed & ~0x07 == 0 else { throw .malformed("reserved delta indicator bits are set") }
        guard compressed == 0 else { throw .unsupported("secondary compression of window sections") }
        let dataLength = try encoding.integer()
        let instructionsLength = try encoding.integer()
        let addressesLength = try encoding.integer()
        var checksum: UInt32?
        if indicator & VCDIFFDelta.WindowIndicator.adler32 != 0 {
            checksum = try encoding.bytes(4).reduce(0) { $0 << 8 | UInt32($1) }
        }
        guard dataLength <= encoding.remaining, instructionsLength <= encoding.remaining - dataLength,
            addressesLength == encoding.remaining - dataLength - instructionsLength
        else { throw .malformed("section lengths do not add up to the delta encoding length") }
        let start = encoding.index
        var sections = VCDIFFWindowSections(
            data: VCDIFFReader(reader.bytes, start..<(start + dataLength), part: .data),
            instructions: VCDIFFReader(
                reader.bytes,
                (start + dataLength)..<(start + dataLength + instructionsLength),
                part: .instructions
            ),
            addresses: VCDIFFReader(
                reader.bytes,
                (start + dataLength + instructionsLength)..<encoding.end,
                part: .addresses
            )
        )
        let windowStart = target.count
        target.reserveCapacity(windowStart + min(targetLength, base.count + reader.bytes.count))
        try run(&sections, segment: segment, targetLength: targetLength)
        guard target.count - windowStart == targetLength else {
            throw .malformed("window \(windowCount) rebuilt \(target.count - windowStart) bytes of \(targetLength)")
        }
        guard sections.data.isAtEnd, sections.addresses.isAtEnd else {
            throw .malformed("window \(windowCount) leaves data or addresses unused")
        }
        if let checksum, checksum != VCDIFFDelta.adler32(target[windowStart...]) {
            throw .checksumMismatch(window: windowCount)
        }
    }

    /// Where COPY addresses below the segment length read from: a range of the base or of the
    /// target rebuilt by earlier windows.
    private struct Segment {
        var fromTarget: Bool
        var range: Range<Int>
    }

    private mutating func sourceSegment(indicator: UInt8) throws(VCDIFFError) -> Segment {
        let fromSource = indicator & VCDIFFDelta.WindowIndicator.source != 0
        let fromTarget = indicator & VCDIFFDelta.WindowIndicator.target != 0
        guard !(fromSource && fromTarget) else { throw .malformed("a window with both VCD_SOURCE and VCD_TARGET") }
        guard fromSource || fromTarget else { return Segment(fromTarget: false, range: 0..<0) }
        let length = try reader.integer()
        let position = try reader.integer()
        let available = fromTarget ? target.count : base.count
        guard position <= available, length <= available - position else {
            throw .outOfRange(
                "source segment \(position)+\(length) passes the \(fromTarget ? "target so far" : "base") (\(available) bytes)"
            )
        }
        return Segment(fromTarget: fromTarget, range: position..<(position + length))
    }

    private mutating func run(
        _ sections: inout VCDIFFWindowSections,
        segment: Segment,
        targetLength: Int
    ) throws(VCDIFFError) {
        var window = Window(segment: segment, start: target.count, length: targetLength)
        while !sections.instructions.isAtEnd {
            let (first, second) = VCDIFFCodeTable.entries[Int(try sections.instructions.byte())]
            try execute(first, &sections, &window)
            try execute(second, &sections, &window)
        }
    }

    /// What the instructions of one window share: where it reads from and what it has rebuilt.
    private struct Window {
        var segment: Segment
        var start: Int
        var length: Int
        var cache = VCDIFFAddressCache()
    }

    private mutating func execute(
        _ instruction: VCDIFFCodeTable.Instruction,
        _ sections: inout VCDIFFWindowSections,
        _ window: inout Window
    ) throws(VCDIFFError) {
        guard instruction.kind != .noop else { return }
        let size = instruction.size == 0 ? try sections.instructions.integer() : Int(instruction.size)
        guard size <= window.length - (target.count - window.start) else {
            throw .outOfRange("an instruction passes the end of window \(windowCount)")
        }
        switch instruction.kind {
        case .noop: break
        case .add: target.append(contentsOf: try sections.data.bytes(size))
        case .run: target.append(contentsOf: repeatElement(try sections.data.byte(), count: size))
        case .copy:
            let here = window.segment.range.count + target.count - window.start
            guard
                let address = try window.cache.decode(
                    mode: instruction.mode,
                    here: here,
                    integer: { () throws(VCDIFFError) in try sections.addresses.integer() },
                    byte: { () throws(VCDIFFError) in try sections.addresses.byte() }
                )
            else { throw .malformed("COPY mode \(instruction.mode) is not in the default address cache") }
            guard address >= 0, address < here else {
                throw .outOfRange("COPY address \(address) is outside the \(here) bytes before it")
            }
            window.cache.update(address)
            copy(size, from: address, segment: window.segment, windowStart: window.start)
        }
    }

    /// Appends `size` bytes read from `address` of the window's address space: the source segment,
    /// then the target window itself (a copy may overlap the bytes it writes).
    private mutating func copy(_ size: Int, from address: Int, segment: Segment, windowStart: Int) {
        var remaining = size
        var address = address
        if address < segment.range.count {
            let count = min(remaining, segment.range.count - address)
            let start = segment.range.lowerBound + address
            if segment.fromTarget {
                for index in start..<(start + count) { target.append(target[index]) }
            } else {
                target.append(contentsOf: base[start..<(start + count)])
            }
            remaining -= count
            address += count
        }
        var index = windowStart + address - segment.range.count
        for _ in 0..<remaining {
            target.append(target[index])
            index += 1
        }
    }
}

/// The three sections of a window, each read in order.
private struct VCDIFFWindowSections {
    var data: VCDIFFReader
    var instructions: VCDIFFReader
    var addresses: VCDIFFReader
}
