package import ChorusProtocol
package import NIOCore

extension OutboundEvent {
    /// The outbound event of a protocol message (`member_added`, `subscription_count`, watchlist
    /// events, …) to the subscribers of `key`: its frame, its protocol 2 form when the renaming
    /// changes it, and its compressed form when `compression` wants one; `tags` for subscribers
    /// filtering event names.
    package init(
        key: ChannelKey,
        message: PusherMessage,
        compression: FrameCompression?,
        excluding: SubscriberAddress? = nil,
        presenceVersion: UInt64? = nil,
        tags: EventTags? = nil
    ) {
        let frame = WebSocketFrameWriter.textFrame(message.jsonText)
        let renamed = message.named(for: .sockudo)
        self.init(
            key: key,
            frame: frame,
            compressed: compression?.compressedIfWanted(frame),
            sockudoFrame: renamed == message ? nil : WebSocketFrameWriter.textFrame(renamed.jsonText),
            excluding: excluding,
            presenceVersion: presenceVersion,
            tags: tags
        )
    }
}
