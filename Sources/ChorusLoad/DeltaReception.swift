import ChorusProtocol
public import NIOCore

/// One load connection's side of delta compression: turns every received text frame back into the
/// full message (rebuilding `pusher:delta` frames from the channel's previous message), so the
/// usual ``DeliveryScanner`` checks apply unchanged.
///
/// ``SubscriberHandler`` passes each text frame of a delta subscriber through ``receive(_:)``
/// before scanning and answers `.syncError` with ``DeltaDecoder/syncErrorMessage(channel:)``.
public struct DeltaReception: Sendable {
    private var decoder = DeltaDecoder()

    public init() {}

    /// What one text frame amounts to.
    public enum Outcome: Sendable, Hashable {
        /// The full message text, to be scanned like any delivery; `rebuilt` when it came as a delta.
        case message([UInt8], rebuilt: Bool)
        /// A delta that cannot be applied; the connection must send a sync error for `channel`.
        case syncError(channel: String)
    }

    public mutating func receive(_ frame: ByteBuffer) -> Outcome {
        let appliedBefore = decoder.deltasApplied
        switch decoder.receive(Array(frame.readableBytesView)) {
        case .message(let text):
            return .message(text, rebuilt: decoder.deltasApplied > appliedBefore)
        case .syncError(let channel, _):
            return .syncError(channel: channel)
        }
    }
}
