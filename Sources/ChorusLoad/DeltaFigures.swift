/// What a delta run measured: how many messages came as deltas, whether every message a delta
/// subscriber ended up with equals, byte for byte, what a plain subscriber received, and the
/// bytes compression saved.
public struct DeltaFigures: Sendable, Hashable, Codable {
    /// `subscription` or `connection`: how subscribers opted in.
    public var mode: String
    /// Event deliveries to delta subscribers (full and rebuilt).
    public var messages: Int64
    /// Of those, rebuilt from `pusher:delta` frames.
    public var rebuilt: Int64
    /// Messages compared with the reference subscriber's copy.
    public var compared: Int64
    /// Compared messages that were not byte for byte the reference copy.
    public var mismatches: Int64
    /// Messages the reference subscriber had no copy of.
    public var unreferenced: Int64
    /// Deltas that could not be applied.
    public var syncErrors: Int64
    /// Frame bytes delta subscribers received for their event deliveries.
    public var receivedBytes: Int64
    /// Bytes the same deliveries take as full messages.
    public var fullBytes: Int64
    /// `1 - received / full`, in percent.
    public var bytesSavedPercent: Double

    public init(
        mode: String,
        messages: Int64,
        rebuilt: Int64,
        compared: Int64,
        mismatches: Int64,
        unreferenced: Int64,
        syncErrors: Int64,
        receivedBytes: Int64,
        fullBytes: Int64
    ) {
        self.mode = mode
        self.messages = messages
        self.rebuilt = rebuilt
        self.compared = compared
        self.mismatches = mismatches
        self.unreferenced = unreferenced
        self.syncErrors = syncErrors
        self.receivedBytes = receivedBytes
        self.fullBytes = fullBytes
        bytesSavedPercent = fullBytes > 0 ? 100 * (1 - Double(receivedBytes) / Double(fullBytes)) : 0
    }

    enum CodingKeys: String, CodingKey {
        case mode, messages, rebuilt, compared, mismatches, unreferenced
        case syncErrors = "sync_errors", receivedBytes = "received_bytes", fullBytes = "full_bytes"
        case bytesSavedPercent = "bytes_saved_percent"
    }
}
