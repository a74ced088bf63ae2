/// Why a VCDIFF delta could not be applied.
public enum VCDIFFError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The delta ends inside the named part.
    case truncated(String)
    /// The bytes break the format: a wrong magic, reserved bits set, lengths that disagree.
    case malformed(String)
    /// A valid feature this decoder does not implement (secondary compression, a custom code table).
    case unsupported(String)
    /// A source segment or a COPY reaches outside what it may read, or an instruction passes the
    /// target window's end.
    case outOfRange(String)
    /// The target would be larger than the limit given to the decoder.
    case targetTooLarge(limit: Int)
    /// A window's Adler-32 checksum differs from the bytes it rebuilt.
    case checksumMismatch(window: Int)

    public var description: String {
        switch self {
        case .truncated(let part): "truncated VCDIFF delta: ends inside \(part)"
        case .malformed(let reason): "malformed VCDIFF delta: \(reason)"
        case .unsupported(let feature): "unsupported VCDIFF feature: \(feature)"
        case .outOfRange(let reason): "VCDIFF delta out of range: \(reason)"
        case .targetTooLarge(let limit): "VCDIFF delta rebuilds more than the limit of \(limit) bytes"
        case .checksumMismatch(let window): "VCDIFF window \(window): Adler-32 checksum differs"
        }
    }
}
