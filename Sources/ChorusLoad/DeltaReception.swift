import ChorusProtocol
public import NIOCore

/// One load connection's side of delta compression: turns every received text frame back into the
/// full message (rebuilding `pusher:delta` frames from the channel's previous message), so the
/// usual ``DeliveryScanner`` checks apply unchanged, and counts what compression saved.
///
/// To wire into ``SubscriberHandler``: subscribe with `"delta": true` in the subscribe data, pass
/// each text frame through ``receive(_:)`` before scanning, and answer `.syncError` with
/// ``DeltaDecoder/syncErrorMessage(channel:)``.
public struct DeltaReception: Sendable {
    private var decoder = DeltaDecoder()
    /// Frames that could not be rebuilt (each answered with a sync error).
    public private(set) var failures = 0

    public init() {}

    /// What one text frame amounts to.
    public enum Outcome: Sendable, Hashable {
        /// The full message text, to be scanned like any delivery.
        case message([UInt8])
        /// A delta that cannot be applied; the connection must send a sync error for `channel`.
        case syncError(channel: String)
    }

    public mutating func receive(_ frame: ByteBuffer) -> Outcome {
        switch decoder.receive(Array(frame.readableBytesView)) {
        case .message(let text):
            return .message(text)
        case .syncError(let channel, _):
            failures += 1
            return .syncError(channel: channel)
        }
    }

    /// Deltas rebuilt so far.
    public var deltasApplied: Int { decoder.deltasApplied }
    /// Message bytes as received.
    public var receivedBytes: Int { decoder.receivedBytes }
    /// Message bytes the same messages would have cost in full.
    public var fullBytes: Int { decoder.fullBytes }
}
