extension HistoryPageRequest {
    /// A page of `channel` within `bounds`, strictly after `after`.
    public init(channel: ChannelRef, page: PageQuery, bounds: HistoryBounds, after: Int64?) {
        self.init(
            channel: channel,
            direction: page.direction,
            limit: page.limit,
            after: after,
            startSerial: bounds.startSerial,
            endSerial: bounds.endSerial,
            startTimeMs: bounds.startTimeMs,
            endTimeMs: bounds.endTimeMs
        )
    }

    /// The bounds of the request.
    public var bounds: HistoryBounds {
        HistoryBounds(startSerial: startSerial, endSerial: endSerial, startTimeMs: startTimeMs, endTimeMs: endTimeMs)
    }
}
