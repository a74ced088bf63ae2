import NIOCore

/// Instructions the runner sends down a subscriber's pipeline as user inbound events.
enum SubscriberCommand: Sendable {
    /// Leave and rejoin the channel every `interval` (presence churn) until ``finish``.
    case startChurn(interval: TimeAmount)
    /// Send `count` client events on the channel, one every `interval`, their `data` sizes cycled
    /// from `payloadBytes` by sequence number; `done` gets the number sent.
    case sendClientEvents(
        count: Int,
        interval: TimeAmount,
        eventName: String,
        payloadBytes: [Int],
        done: EventLoopPromise<Int>
    )
    /// The run is ending: stop timers, and a close from now on is expected.
    case finish
}
