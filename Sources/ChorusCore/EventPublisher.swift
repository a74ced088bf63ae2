package import ChorusProtocol

/// Publishes events through the broadcast engine: ``EventEncoder`` makes their frames, the
/// ``Broadcaster`` hands them to every shard.
package struct EventPublisher: Sendable {
    /// One event for one or more channels.
    package typealias Event = PublishedEvent

    let broadcaster: Broadcaster
    let encoder: EventEncoder

    /// The delta chains of channels with subscribers taking deltas.
    package var deltaChains: DeltaChainStore { encoder.deltaChains }
    /// The channels with subscribers filtering event names.
    package var eventNameFilters: EventNameFilterRegistry { encoder.eventNameFilters }

    package init(broadcaster: Broadcaster, directory: ChannelDirectory) {
        self.broadcaster = broadcaster
        self.encoder = EventEncoder(directory: directory, compression: broadcaster.compression)
    }

    /// Publishes `events` of the app `settings` describe, in order, as one batch.
    package func publish(_ events: [Event], settings: PublishSettings, excluding: SubscriberAddress? = nil) {
        broadcaster.publish(encoder.outboundEvents(for: events, settings: settings, excluding: excluding))
    }

    /// Publishes one protocol message (member_added, subscription_count, …) to a channel.
    ///
    /// `presenceVersion` marks a membership event with the roster version it announces, so it skips
    /// subscribers whose roster snapshot already includes it.
    package func publish(
        _ message: PusherMessage,
        appID: String,
        excluding: SubscriberAddress? = nil,
        presenceVersion: UInt64? = nil
    ) {
        guard
            let event = encoder.outboundEvent(
                for: message,
                appID: appID,
                excluding: excluding,
                presenceVersion: presenceVersion
            )
        else { return }
        broadcaster.publish([event])
    }
}
