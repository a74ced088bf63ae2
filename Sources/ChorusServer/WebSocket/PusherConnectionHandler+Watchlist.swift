import ChorusCore
import ChorusProtocol

extension PusherConnectionHandler {
    /// After a sign-in as `userID` (from `previous`): registers the watchlist of `user` (the user
    /// data), tells this connection who of it is online, and tells watchers of `userID` it came
    /// online. Over ``WatchlistRegistry/maximumEntries`` the sign-in stands but the watchlist is
    /// refused with `pusher:error` 4302.
    func updateWatchlists(signedInAs userID: String, previous: String?, user: JSONValue, app: AppConfiguration) {
        var watchlist = user["watchlist"]?.arrayValue?.compactMap(\.scalarText)
        if let list = watchlist, list.count > WatchlistRegistry.maximumEntries {
            send(
                .error(
                    "Watchlist has \(list.count) entries; the limit is \(WatchlistRegistry.maximumEntries)",
                    code: .watchlistLimitExceeded
                )
            )
            watchlist = nil
        }
        let signIn = server.watchlists.signIn(userID, previous: previous, watchlist: watchlist, appID: app.id)
        if !signIn.onlineWatched.isEmpty { send(.watchlistEvents(online: signIn.onlineWatched, offline: [])) }
        notifyWatchers(signIn.notices, app: app)
    }

    /// After this signed-in connection closed.
    func leaveWatchlists(_ userID: String, app: AppConfiguration) {
        notifyWatchers(server.watchlists.signOut(userID, appID: app.id), app: app)
    }

    /// Sends each notice to every connection of its watcher (through `#server-to-user-{watcher}`).
    private func notifyWatchers(_ notices: [WatchlistRegistry.Notice], app: AppConfiguration) {
        guard !notices.isEmpty else { return }
        let events = notices.map { notice in
            let message = PusherMessage.watchlistEvents(
                online: notice.online ? [notice.userID] : [],
                offline: notice.online ? [] : [notice.userID]
            )
            let key = ChannelKey(appID: app.id, channel: ChannelName.serverToUser(notice.watcher).rawValue)
            return OutboundEvent(key: key, frame: WebSocketFrameWriter.textFrame(message.jsonText))
        }
        server.broadcaster.publish(events)
    }
}
