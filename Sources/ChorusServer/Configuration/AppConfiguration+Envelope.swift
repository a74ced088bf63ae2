import ChorusProtocol

extension AppConfiguration {
    /// Room for everything around an event's data: the JSON field names and punctuation, a socket
    /// id, the event name at its longest and the channel names at theirs.
    func envelopeBytes(channels: Int) -> Int {
        Self.fixedEnvelopeBytes + maxEventNameLength + channels * (ChannelName.maximumLength + 3)
    }

    /// The field names, punctuation, socket id and `info` of one event, generously.
    static let fixedEnvelopeBytes = 256

    /// The largest `POST /events` body the app's limits allow: a full payload to the most channels.
    package var largestPublishBodyBytes: Int {
        maxEventPayloadInKB * 1024 + envelopeBytes(channels: maxEventChannelsAtOnce)
    }

    /// The largest client event the app's limits allow: a full payload on one channel.
    package var largestClientEventBytes: Int {
        maxEventPayloadInKB * 1024 + envelopeBytes(channels: 1)
    }
}
