import ChorusCore
import ChorusProtocol
import Logging

/// Tag filters and delta compression on the client's side of the protocol: the `filter` and
/// `delta` members of `pusher:subscribe`, `pusher:enable_delta_compression` and
/// `pusher:delta_sync_error`.
extension PusherConnectionHandler {
    /// How one subscription receives events.
    struct SubscriptionOptions {
        var filter: CompiledTagFilter?
        var delta: Bool
    }

    /// Reads `filter` and `delta` from subscribe data; sends `pusher:subscription_error` and
    /// returns `nil` when the filter is refused.
    func subscriptionOptions(_ data: JSONValue, channel: ChannelName, app: AppConfiguration) -> SubscriptionOptions? {
        var filter: CompiledTagFilter?
        if let json = data["filter"], json != .null {
            let refusal: String?
            if !app.tagFilteringEnabled {
                refusal = "Tag filtering is disabled for this app"
            } else if channel.kind == .presence {
                refusal = "Tag filters are not supported on presence channels"
            } else {
                do {
                    filter = CompiledTagFilter(try TagFilter(json: json))
                    refusal = nil
                } catch {
                    refusal = "Invalid filter: \(error.message)"
                }
            }
            if let refusal {
                send(.subscriptionError(channel: channel.rawValue, type: "InvalidFilter", error: refusal, status: 400))
                return nil
            }
        }
        let requested: Bool =
            switch data["delta"] {
            case .bool(let enabled)?: enabled
            case .string(let algorithm)?: algorithm.lowercased() == FossilDelta.algorithm
            case .object(let fields)?: fields["enabled"]?.boolValue ?? true
            default: deltaByDefault
            }
        let delta = requested && app.deltaCompressionEnabled && channel.kind != .presence
        return SubscriptionOptions(filter: filter, delta: delta)
    }

    /// Adds this connection to `key` on its shard as `options` say.
    func subscribe(to key: ChannelKey, options: SubscriptionOptions, on shard: BroadcastShard) {
        shard.subscribe(slot, to: key, filter: options.filter, delta: options.delta)
        if options.delta { startDeltas(on: key) }
    }

    private func startDeltas(on key: ChannelKey) {
        guard deltaChannels.insert(key.channel).inserted else { return }
        server.publisher.deltaChains.join(key)
    }

    /// Stops counting this connection among the delta subscribers of `key` (it left the channel).
    func stopDeltas(on key: ChannelKey) {
        guard deltaChannels.remove(key.channel) != nil else { return }
        server.publisher.deltaChains.leave(key)
    }

    /// `pusher:enable_delta_compression`: deltas on every channel, current and future, but presence
    /// channels; answered with `pusher:delta_compression_enabled`.
    func enableDeltaCompression() {
        guard let app, let shard else { return }
        guard app.deltaCompressionEnabled else {
            send(PusherMessage(event: PusherEventName.deltaCompressionEnabled, data: .string(#"{"enabled":false}"#)))
            return
        }
        deltaByDefault = true
        for key in shard.channels(of: slot) where ChannelName(key.channel)?.kind != .presence {
            if shard.enableDelta(slot, on: key) { startDeltas(on: key) }
        }
        let reply: JSONValue = ["enabled": true, "algorithm": .string(FossilDelta.algorithm)]
        send(PusherMessage(event: PusherEventName.deltaCompressionEnabled, data: .string(reply.jsonText)))
    }

    /// `pusher:delta_sync_error`: the client could not apply a delta; its next message of the
    /// channel is sent in full.
    func deltaSyncError(_ message: PusherMessage) {
        guard let app, let shard, let channel = message.dataObject?["channel"]?.stringValue else {
            send(.error("pusher:delta_sync_error needs data with a 'channel' string", code: nil))
            return
        }
        shard.resetDeltaBase(slot, on: ChannelKey(appID: app.id, channel: channel))
        logger.debug("delta sync error", metadata: ["channel": .string(channel)])
    }
}
