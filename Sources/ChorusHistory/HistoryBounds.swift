/// The inclusive bounds of a history query: history serials and `published_at_ms`.
public struct HistoryBounds: Sendable, Hashable {
    public var startSerial: Int64?
    public var endSerial: Int64?
    public var startTimeMs: Int64?
    public var endTimeMs: Int64?

    public init(startSerial: Int64? = nil, endSerial: Int64? = nil, startTimeMs: Int64? = nil, endTimeMs: Int64? = nil)
    {
        self.startSerial = startSerial
        self.endSerial = endSerial
        self.startTimeMs = startTimeMs
        self.endTimeMs = endTimeMs
    }

    /// Reads `start_serial`, `end_serial`, `start_time_ms` and `end_time_ms`: each a non-negative
    /// integer, and a start never after its end.
    public init(parameters: [(String, String)]) throws(HistoryRequestError) {
        func bound(_ name: String) throws(HistoryRequestError) -> Int64? {
            guard let text = parameters.first(where: { $0.0 == name })?.1 else { return nil }
            guard let value = Int64(text), value >= 0 else {
                throw HistoryRequestError(.invalidBounds, "\(name) must be a non-negative integer; got '\(text)'")
            }
            return value
        }
        startSerial = try bound("start_serial")
        endSerial = try bound("end_serial")
        startTimeMs = try bound("start_time_ms")
        endTimeMs = try bound("end_time_ms")
        if let start = startSerial, let end = endSerial, start > end {
            throw HistoryRequestError(.invalidBounds, "start_serial \(start) is after end_serial \(end)")
        }
        if let start = startTimeMs, let end = endTimeMs, start > end {
            throw HistoryRequestError(.invalidBounds, "start_time_ms \(start) is after end_time_ms \(end)")
        }
    }

    /// Whether a message at `serial`, published at `publishedAtMs`, lies within the bounds.
    public func contains(serial: Int64, publishedAtMs: Int64) -> Bool {
        (startSerial.map { serial >= $0 } ?? true) && (endSerial.map { serial <= $0 } ?? true)
            && (startTimeMs.map { publishedAtMs >= $0 } ?? true) && (endTimeMs.map { publishedAtMs <= $0 } ?? true)
    }
}
