/// A delta format a subscriber can take: Fossil's, or VCDIFF (RFC 3284), which Sockudo and its
/// clients call `xdelta3`.
public enum DeltaAlgorithm: String, Sendable, Hashable, CaseIterable {
    case fossil
    case xdelta3

    /// The algorithm a client names: `fossil`, or `xdelta3` (also `vcdiff`), in any case; `nil` for
    /// any other name.
    public init?(name: String) {
        switch name.lowercased() {
        case "fossil": self = .fossil
        case "xdelta3", "vcdiff": self = .xdelta3
        default: return nil
        }
    }

    /// The delta that turns `base` into `target`.
    public func create(from base: [UInt8], to target: [UInt8]) -> [UInt8] {
        switch self {
        case .fossil: FossilDelta.create(from: base, to: target)
        case .xdelta3: VCDIFFDelta.create(from: base, to: target)
        }
    }

    /// Rebuilds the target from `base` and `delta`; throws a description of what is wrong.
    public func apply(_ delta: [UInt8], to base: [UInt8]) throws(DeltaApplyError) -> [UInt8] {
        do {
            switch self {
            case .fossil: return try FossilDelta.apply(delta, to: base)
            case .xdelta3: return try VCDIFFDelta.apply(delta, to: base)
            }
        } catch {
            throw DeltaApplyError(algorithm: self, reason: "\(error)")
        }
    }

    /// The names a client may use, for error messages.
    public static let names = allCases.map(\.rawValue).joined(separator: ", ")
}

/// A delta that could not be applied.
public struct DeltaApplyError: Error, Sendable, Hashable, CustomStringConvertible {
    public var algorithm: DeltaAlgorithm
    public var reason: String

    public var description: String { "\(algorithm.rawValue): \(reason)" }
}
