import ChorusProtocol

/// VCDIFF deltas both ways. Fields: a base and a second text. Applying the second as a delta to
/// the base may fail but never crash; a delta created from base to second must rebuild it exactly.
enum VCDIFFDeltaFuzz {
    static func run(_ bytes: [UInt8]) {
        let fields = FuzzFields.split(bytes, into: 2)
        let base = fields[0]
        let other = fields[1]
        _ = try? VCDIFFDelta.apply(other, to: base)
        let delta = VCDIFFDelta.create(from: base, to: other)
        let rebuilt: [UInt8]
        do {
            rebuilt = try VCDIFFDelta.apply(delta, to: base)
        } catch {
            preconditionFailure("a delta Chorus made does not apply: \(error)")
        }
        precondition(rebuilt == other, "a delta Chorus made rebuilds something else")
    }
}
