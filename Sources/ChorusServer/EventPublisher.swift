public import ChorusCore
public import ChorusProtocol
import NIOCore

/// Turns one event into frames and hands them to the broadcast engine: one frame per channel,
/// encoded once, shared by every subscriber. Cache channels also keep the frame for late subscribers.
public struct EventPublisher: Sendable {
    let broadcaster: Broadcaster
    let directory: ChannelDirectory
    /// The delta chains of channels with subscribers taking deltas.
    public let deltaChains = DeltaChainStore()

    /// One event for one or more channels.
    public struct Event: Sendable {
        public var name: String
        public var channels: [String]
        /// The event's data as text; it is sent double encoded, as a JSON string.
        public var data: JSONValue
        public var userID: String?
        /// Tags that subscribers' filters are matched against.
        public var tags: [String: String]?
        /// The publisher's `delta` flag: `true` forces a delta where one can be made, `false` sends
        /// the event in full.
        public var delta: Bool?

        public init(
            name: String,
            channels: [String],
            data: JSONValue,
            userID: String? = nil,
            tags: [String: String]? = nil,
            delta: Bool? = nil
        ) {
            self.name = name
            self.channels = channels
            self.data = data
            self.userID = userID
            self.tags = tags
            self.delta = delta
        }
    }

    /// Publishes `events` of app `app` in order, as one batch: consecutive events for one channel
    /// are joined into one buffer, so they reach each subscriber in one write.
    public func publish(_ events: [Event], app: AppConfiguration, excluding: SubscriberAddress? = nil) {
        var outbound: [OutboundEvent] = []
        outbound.reserveCapacity(events.reduce(0) { $0 + $1.channels.count })
        for event in events {
            let tags = event.tags.map(EventTags.init)
            for channel in event.channels {
                let message = PusherMessage(event: event.name, channel: channel, data: event.data, userID: event.userID)
                let text = message.serialised(tags: app.stripTags ? nil : event.tags)
                let frame = WebSocketFrameWriter.frame(.text, payload: text)
                let key = ChannelKey(appID: app.id, channel: channel)
                // Encrypted payloads do not compress; their subscribers get every event in full.
                let delta =
                    ChannelName(channel)?.kind == .privateEncrypted
                    ? nil
                    : deltaChains.frames(
                        for: text,
                        event: event.name,
                        key: key,
                        policy: app.deltaPolicy,
                        force: event.delta
                    )
                if ChannelName(channel)?.isCache == true {
                    let expires = NIODeadline.now() + .seconds(Int64(app.cacheTTLSeconds))
                    let data = event.data.stringValue ?? event.data.jsonText
                    directory.cache(
                        CachedEvent(frame: frame, event: event.name, data: data, expires: expires),
                        for: key
                    )
                }
                outbound.append(OutboundEvent(key: key, frame: frame, excluding: excluding, tags: tags, delta: delta))
            }
        }
        broadcaster.publish(OutboundEvent.coalescing(outbound))
    }

    /// Publishes one protocol message (member_added, subscription_count, …) to a channel.
    ///
    /// `presenceVersion` marks a membership event with the roster version it announces, so it skips
    /// subscribers whose roster snapshot already includes it.
    public func publish(
        _ message: PusherMessage,
        appID: String,
        excluding: SubscriberAddress? = nil,
        presenceVersion: UInt64? = nil
    ) {
        guard let channel = message.channel else { return }
        let frame = WebSocketFrameWriter.textFrame(message.jsonText)
        let key = ChannelKey(appID: appID, channel: channel)
        broadcaster.publish([
            OutboundEvent(key: key, frame: frame, excluding: excluding, presenceVersion: presenceVersion)
        ])
    }
}
