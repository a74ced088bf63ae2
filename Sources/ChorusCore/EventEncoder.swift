package import ChorusProtocol
package import NIOCore

/// Turns published events into what the shards fan out: one frame per channel per event, encoded
/// once and shared by every subscriber, with the event's tags prepared for filters and its delta
/// frames where the channel has subscribers taking deltas, and its `permessage-deflate` form while
/// connections take compression. Cache channels also keep the frame for late subscribers.
package struct EventEncoder: Sendable {
    /// The delta chains of channels with subscribers taking deltas.
    package let deltaChains: DeltaChainStore
    /// Where cache channels keep their last event.
    package let directory: ChannelDirectory
    /// Compresses frames of 1 KB and more once each, while any connection takes compression.
    package let compression: FrameCompression?
    /// The channels whose events must carry their name, for subscribers filtering event names.
    package let eventNameFilters = EventNameFilterRegistry()

    package init(
        deltaChains: DeltaChainStore = DeltaChainStore(),
        directory: ChannelDirectory,
        compression: FrameCompression? = nil
    ) {
        self.deltaChains = deltaChains
        self.directory = directory
        self.compression = compression
    }

    /// The outbound events for `events`, in order, with consecutive plain events for one channel
    /// joined (``OutboundEvent/coalescing(_:)``) so they reach each subscriber in one write.
    package func outboundEvents(
        for events: [PublishedEvent],
        settings: PublishSettings,
        excluding: SubscriberAddress? = nil,
        now: NIODeadline = .now()
    ) -> [OutboundEvent] {
        var outbound: [OutboundEvent] = []
        outbound.reserveCapacity(events.reduce(0) { $0 + $1.channels.count })
        for event in events {
            let tags = event.tags.map { EventTags($0) }
            for channel in event.channels {
                let message = PusherMessage(event: event.name, channel: channel, data: event.data, userID: event.userID)
                let text = message.serialised(tags: settings.stripsTags ? nil : event.tags)
                let frame = WebSocketFrameWriter.frame(.text, payload: text)
                let key = ChannelKey(appID: settings.appID, channel: channel)
                let name = ChannelName(channel)
                // Encrypted payloads do not compress; their subscribers get every event in full.
                var delta =
                    name?.kind == .privateEncrypted
                    ? nil
                    : deltaChains.frames(
                        for: text,
                        event: event.name,
                        data: event.data,
                        key: key,
                        policy: settings.deltaPolicy,
                        force: event.delta
                    )
                if name?.isCache == true {
                    let data = event.data.stringValue ?? event.data.jsonText
                    directory.cache(
                        CachedEvent(frame: frame, event: event.name, data: data, expires: now + settings.cacheTTL),
                        for: key
                    )
                }
                if let full = delta?.full { delta?.compressedFull = compression?.compressedIfWanted(full) }
                outbound.append(
                    OutboundEvent(
                        key: key,
                        frame: frame,
                        compressed: compression?.compressedIfWanted(frame),
                        excluding: excluding,
                        tags: eventNameFilters.contains(key) ? EventTags(event.tags ?? [:], name: event.name) : tags,
                        delta: delta
                    )
                )
            }
        }
        return OutboundEvent.coalescing(outbound)
    }

    /// The outbound event for one protocol message (member_added, subscription_count, …) of app
    /// `appID`; `nil` for a message without a channel.
    package func outboundEvent(
        for message: PusherMessage,
        appID: String,
        excluding: SubscriberAddress? = nil,
        presenceVersion: UInt64? = nil
    ) -> OutboundEvent? {
        guard let channel = message.channel else { return nil }
        let key = ChannelKey(appID: appID, channel: channel)
        return OutboundEvent(
            key: key,
            message: message,
            compression: compression,
            excluding: excluding,
            presenceVersion: presenceVersion,
            tags: eventNameFilters.contains(key) ? EventTags([:], name: message.event) : nil
        )
    }
}
