import ChorusProtocol

/// Deltas of one algorithm both ways. Fields: a base and a second text. Applying the second as a
/// delta to the base may fail but never crash; a delta created from base to second must rebuild it
/// exactly.
enum DeltaFuzz {
    static func run(_ bytes: [UInt8], algorithm: DeltaAlgorithm) {
        let fields = FuzzFields.split(bytes, into: 2)
        let base = fields[0]
        let other = fields[1]
        _ = try? algorithm.apply(other, to: base)
        let delta = algorithm.create(from: base, to: other)
        let rebuilt: [UInt8]
        do {
            rebuilt = try algorithm.apply(delta, to: base)
        } catch {
            preconditionFailure("a \(algorithm) delta Chorus made does not apply: \(error)")
        }
        precondition(rebuilt == other, "a \(algorithm) delta Chorus made rebuilds something else")
    }
}
