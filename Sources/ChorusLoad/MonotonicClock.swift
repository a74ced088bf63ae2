import NIOCore

/// Nanoseconds on the system's monotonic clock (`CLOCK_MONOTONIC`), the same for every thread of
/// the process, so a publisher's send time and a subscriber's receive time can be subtracted.
public enum MonotonicClock {
    public static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }
}
